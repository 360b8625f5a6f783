"""Contract: a page filtered by type in name or cost order (read type by type on Neo4j, through
the (type, name) or (type, cost) index, and merged) lists what the same filter tested on every
credential lists, in both directions, at every page size, with other filters beside it and
credentials without a cost."""

from __future__ import annotations

from typing import Any

import pytest

from credgraph.model import Credential, CredentialType, Money
from credgraph.store import GraphStore, open_store
from credgraph.store.neo4j import Neo4jStore
from credgraph.store.query import CredentialFilter, CredentialSort, SortField
from tests.contract.test_reads import ids
from tests.stores import wipe_neo4j

TYPES = (CredentialType.BADGE, CredentialType.CERTIFICATE, CredentialType.COURSE)


def catalogue() -> list[Credential]:
    """30 credentials whose names interleave the types, with ties on name and cost (told
    apart by id), costs on both sides of a bound, and every fifth without a cost."""
    return [
        Credential(
            id=f"https://typed.example/c/{n:02d}",
            name=f"Credential {n % 11}",  # eleven names, most held by two or three credentials
            type=TYPES[n % 3],
            cost=Money(100.0 * (n % 7), "USD") if n % 5 else None,
        )
        for n in range(30)
    ]


@pytest.mark.parametrize("field", [SortField.NAME, SortField.COST, SortField.HOURS])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("page", [1, 3, 7, 100])
@pytest.mark.parametrize(
    "types",
    [
        (CredentialType.BADGE,),
        (CredentialType.BADGE, CredentialType.COURSE),
        (CredentialType.COURSE, CredentialType.BADGE, CredentialType.COURSE),  # repeated
        (CredentialType.DEGREE,),  # none of them
    ],
)
async def test_a_page_by_type_in_sort_order_lists_what_the_filter_admits(
    store: GraphStore,
    field: SortField,
    descending: bool,
    page: int,
    types: tuple[CredentialType, ...],
) -> None:
    records = catalogue()
    await store.upsert_credentials(records)
    sort = CredentialSort(field, descending)
    everything = await ids(store, sort=sort, page=100)
    by_id = {r.id: r for r in records}
    for max_cost in (None, 300.0):
        admitted = [
            i
            for i in everything
            if by_id[i].type in types
            and (max_cost is None or (by_id[i].cost and by_id[i].cost.amount <= max_cost))
        ]
        f = CredentialFilter(types=types, max_cost=max_cost)
        assert await ids(store, f, sort, page=page) == admitted
        first = await store.list_credentials(f, sort, first=page)
        assert first.total_count == len(admitted)


@pytest.mark.neo4j
async def test_neo4j_reads_a_typed_page_through_the_type_sort_index(neo4j_url: str) -> None:
    await wipe_neo4j(neo4j_url)
    async with open_store(neo4j_url) as store:
        assert isinstance(store, Neo4jStore)
        await store.upsert_credentials(catalogue())
        sent: list[tuple[str, dict[str, object]]] = []
        read = store._read

        async def spy(query: str, **params: object) -> list[object]:
            sent.append((query, params))
            return await read(query, **params)

        store._read = spy  # type: ignore[method-assign]
        f = CredentialFilter(types=(CredentialType.BADGE, CredentialType.COURSE), max_cost=300.0)
        for field, index in ((SortField.NAME, "name_key"), (SortField.COST, "cost_amount")):
            sent.clear()
            await store.list_credentials(f, CredentialSort(field, descending=True), first=3)
            query, params = next((q, p) for q, p in sent if "ORDER BY" in q)
            assert f"Credential(type, {index})" in await index_seeks(store, query, params)


async def index_seeks(store: Neo4jStore, query: str, params: dict[str, object]) -> str:
    """The details of every index read in `query`'s plan, joined: a seek, or on a graph this
    small the planner may scan the hinted index and test the type instead."""
    plan = await store._open_driver().execute_query("EXPLAIN " + query, params)
    seeks: list[str] = []

    def walk(operator: dict[str, Any]) -> None:
        if str(operator["operatorType"]).startswith(("NodeIndexSeek", "NodeIndexScan")):
            seeks.append(str(operator["args"]["Details"]))
        for child in operator.get("children", []):
            walk(child)

    walk(plan.summary.plan)
    return " | ".join(seeks)
