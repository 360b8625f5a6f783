"""The SQLite pathway search answers the same from the cached adjacency as from links read on
demand, knows when the cache is stale, and refreshes it in the background."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from credgraph.model.stacking import PathwayGoal
from credgraph.store import open_store
from credgraph.store.sqlite.pathways import AdjacencyCache, find, refresh
from credgraph.store.sqlite.store import SQLiteStore
from tests.contract.test_pathways import _c, _graph


async def test_cached_and_live_searches_agree_and_staleness_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    async with open_store(f"sqlite:///{path}") as store:
        await _graph(store)
    conn = sqlite3.connect(path)
    cache = AdjacencyCache()
    goals = [
        PathwayGoal(frozenset({"c4"})),
        PathwayGoal(frozenset({"c6"})),
        PathwayGoal(occupation="onet:29-1141.00"),
    ]
    live = [find(conn, cache, "c1", goal, 6, 5) for goal in goals]
    assert all(stale for _, stale in live)
    refresh(conn, cache)
    cached = [find(conn, cache, "c1", goal, 6, 5) for goal in goals]
    assert [routes for routes, _ in cached] == [routes for routes, _ in live]
    assert not any(stale for _, stale in cached)
    assert live[0][0] and len(live[1][0]) == 2
    conn.close()
    async with open_store(f"sqlite:///{path}") as store:  # a write makes the cache stale
        await store.upsert_credentials([_c(6, 200, prepares_for=("c1",))])
    conn = sqlite3.connect(path)
    routes, stale = find(conn, cache, "c6", PathwayGoal(frozenset({"c1"})), 6, 5)
    assert stale and [s.credential for s in routes[0].steps] == ["c6", "c1"]
    conn.close()


@pytest.mark.slow  # waits on a reader thread in real time
async def test_a_stale_search_refreshes_the_adjacency_in_the_background(tmp_path: Path) -> None:
    async with open_store(f"sqlite:///{tmp_path / 'g.db'}") as store:
        assert isinstance(store, SQLiteStore)
        await _graph(store)
        first = await store.pathways("c1", PathwayGoal(frozenset({"c4"})), 6, 5)
        for _ in range(200):  # the refresh runs on a reader thread; wait for it
            conn = sqlite3.connect(store.path)
            # the store's own cache, looked at from outside: nothing public says it is built
            if store._adjacency.current(conn) is not None:
                conn.close()
                break
            conn.close()
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("the adjacency was never rebuilt")
        assert await store.pathways("c1", PathwayGoal(frozenset({"c4"})), 6, 5) == first
