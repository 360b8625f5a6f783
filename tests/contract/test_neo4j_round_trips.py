"""Neo4j: a page of issuers, skills or occupations, and the equivalents of skills and
occupations together, are each one statement (one round trip) however many kinds or parts
they read; the answers are the contract's (the rest of the suite checks them)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from credgraph.model.records import Equivalence
from credgraph.model.values import NodeKind
from credgraph.store import GraphStore
from credgraph.store.neo4j import Neo4jStore
from tests.contract import data
from tests.contract.test_writes import load
from tests.stores import empty_store

pytestmark = pytest.mark.neo4j


@pytest.fixture(params=[pytest.param("neo4j", marks=pytest.mark.neo4j)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with empty_store(request, tmp_path) as opened:
        await load(opened)
        yield opened


def counted(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    assert isinstance(store, Neo4jStore)
    statements: list[str] = []
    read = store._read

    async def counting(query: str, **params: Any) -> list[Any]:
        statements.append(query)
        return await read(query, **params)

    monkeypatch.setattr(store, "_read", counting)
    return statements


async def test_a_page_with_its_count_is_one_statement(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements = counted(store, monkeypatch)
    first = await store.list_skills(first=2)
    assert len(first.items) == 2 and first.has_next_page and first.total_count > 2
    following = await store.list_skills(first=2, after=first.end_cursor)
    assert following.items and following.items[0].id not in {s.id for s in first.items}
    found = await store.list_occupations(code_prefix="15-", first=5)
    assert {o.code for o in found.items} == {"15-2051.00", "15-1242.00"}
    assert found.total_count == 2 and not found.has_next_page
    searched = await store.list_issuers(text="acme", first=5)
    assert searched.total_count == len(searched.items) >= 1
    assert len(statements) == 4


async def test_equivalents_of_every_kind_are_one_statement(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    scientists, administrators = "onet:15-2051.00", "onet:15-1242.00"
    await store.replace_equivalences(
        "a crosswalk",
        [
            Equivalence(NodeKind.SKILL, data.PY.id, data.SQL.id),
            Equivalence(NodeKind.OCCUPATION, scientists, administrators),
        ],
    )
    ids = [data.PY.id, scientists, "nope"]
    statements = counted(store, monkeypatch)
    equivalents = await store.equivalents_many(ids)
    related = await store.related_many(ids)
    assert set(equivalents) == set(related) == set(ids)
    assert equivalents == {data.PY.id: [data.SQL.id], scientists: [administrators], "nope": []}
    assert {i: [r.id for r in found] for i, found in related.items()} == equivalents
    assert len(statements) == 2
