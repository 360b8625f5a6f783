"""On Neo4j, every store a process opens on one database chains its transactions through the
same bookmarks: a second store (the API beside an in-process crawl, a command that writes
then reads) starts its reads from the first store's last write."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from credgraph.model.records import Issuer
from credgraph.store import open_store
from credgraph.store.neo4j import Neo4jStore
from credgraph.store.neo4j.bookmarks import bookmarks_for
from tests.stores import CONTRACT_STORES, empty_store

NEO4J_STORES = [p for p in CONTRACT_STORES if p != "sqlite"]  # SQLite has no bookmarks


@pytest.fixture(params=NEO4J_STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Neo4jStore]:
    async with empty_store(request, tmp_path) as opened:
        assert isinstance(opened, Neo4jStore)
        yield opened


async def test_a_second_store_of_the_process_sees_the_first_ones_writes(
    store: Neo4jStore,
) -> None:
    shared = bookmarks_for(store.target.uri, store.target.database)
    await store.upsert_issuers([Issuer(id="urn:causal:first", name="First")])
    after_first = set(await shared.get_bookmarks())
    assert after_first, "a write left no bookmark to chain the next transaction to"
    async with open_store(store.url) as second:  # test URLs carry no password to mask
        await second.upsert_issuers([Issuer(id="urn:causal:second", name="Second")])
        after_second = set(await shared.get_bookmarks())
        # The second store's write started from the first one's bookmark and replaced it.
        assert after_second and not after_first & after_second
        found = await store.get_issuers(["urn:causal:second"])
        assert [i.name for i in found] == ["Second"]
