"""Contract: a page filtered by type in name order (read type by type on Neo4j, through the
(type, name) index, and merged) lists what the same filter tested on every credential lists,
in both directions, at every page size, with other filters beside it."""

from __future__ import annotations

import pytest

from credgraph.model import Credential, CredentialType, Money
from credgraph.store import GraphStore, open_store
from credgraph.store.neo4j import Neo4jStore
from credgraph.store.query import CredentialFilter, CredentialSort, SortField
from tests.contract.test_reads import ids
from tests.stores import wipe_neo4j

TYPES = (CredentialType.BADGE, CredentialType.CERTIFICATE, CredentialType.COURSE)


def catalogue() -> list[Credential]:
    """30 credentials whose names interleave the types, with ties on name (told apart by
    id) and costs on both sides of a bound."""
    return [
        Credential(
            id=f"https://typed.example/c/{n:02d}",
            name=f"Credential {n % 11}",  # eleven names, most held by two or three credentials
            type=TYPES[n % 3],
            cost=Money(100.0 * (n % 7), "USD"),
        )
        for n in range(30)
    ]


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
async def test_a_page_by_type_in_name_order_lists_what_the_filter_admits(
    store: GraphStore, descending: bool, page: int, types: tuple[CredentialType, ...]
) -> None:
    records = catalogue()
    await store.upsert_credentials(records)
    sort = CredentialSort(SortField.NAME, descending)
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
async def test_neo4j_reads_a_typed_name_page_through_the_type_name_index(neo4j_url: str) -> None:
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
        await store.list_credentials(f, CredentialSort(SortField.NAME), first=3)
        [(query, params)] = [(q, p) for q, p in sent if "ORDER BY" in q]
        plan = await store._open_driver().execute_query("EXPLAIN " + query, params)
        seeks = []

        def walk(operator: dict[str, object]) -> None:
            if str(operator["operatorType"]).startswith("NodeIndexSeek"):
                seeks.append(str(operator["args"]["Details"]))  # type: ignore[index]
            for child in operator.get("children", []):  # type: ignore[attr-defined]
                walk(child)

        walk(plan.summary.plan)  # type: ignore[arg-type]
        assert any("Credential(type, name_key)" in s for s in seeks), seeks
