"""Opening and closing a SQLite store run their statements off the event loop.

Migrating a graph, finishing a bulk load a crash interrupted, and the WAL checkpoint the last
connection's close makes take seconds at a million credentials; the loop keeps serving (a
scheduler's leases, an API's health checks) while they run.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from credgraph.errors import StoreError
from credgraph.store.sqlite import SQLiteStore
from credgraph.store.sqlite import store as sqlite_store


def _recording_connections(
    closed_on: list[int], made: list[sqlite3.Connection] | None = None
) -> Callable[..., sqlite3.Connection]:
    """`sqlite3.connect` whose connections note the thread each `close` runs on, and are
    kept in `made`."""
    real = sqlite3.connect

    class Recording(sqlite3.Connection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if made is not None:
                made.append(self)

        def close(self) -> None:
            closed_on.append(threading.get_ident())
            super().close()

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return real(*args, factory=Recording, **kwargs)

    return connect


async def test_opening_and_closing_run_no_statement_on_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop_thread = threading.get_ident()
    migrated: list[int] = []
    closed: list[int] = []
    real_migrate = sqlite_store.migrate

    def migrate(conn: sqlite3.Connection) -> None:
        migrated.append(threading.get_ident())
        real_migrate(conn)

    monkeypatch.setattr(sqlite_store, "migrate", migrate)
    monkeypatch.setattr(sqlite3, "connect", _recording_connections(closed))
    store = SQLiteStore(tmp_path / "graph.db")
    await store.open()
    await store.ping()  # the health check's own connection, closed with the others
    await store.close()
    assert migrated and loop_thread not in migrated
    # The writer's connection and the health check's (the readers close theirs in their
    # own threads): neither closed on the loop.
    assert len(closed) >= 2 and loop_thread not in closed


WAIT_S = 60.0  # how long a gated step waits before the test calls it failed


class _GatedMigration:
    """`migrate` that says when it has begun and waits for the test's go before migrating."""

    @classmethod
    def installed(cls, monkeypatch: pytest.MonkeyPatch) -> _GatedMigration:
        """One, in place of the store's `migrate` for this test."""
        migration = cls()
        monkeypatch.setattr(sqlite_store, "migrate", migration)
        return migration

    def __init__(self) -> None:
        self.begun, self.go = threading.Event(), threading.Event()
        self.done = 0
        self.real = sqlite_store.migrate

    def __call__(self, conn: sqlite3.Connection) -> None:
        self.begun.set()
        if not self.go.wait(WAIT_S):
            raise AssertionError("the test never let the migration go on")
        self.real(conn)
        self.done += 1

    async def opening(self, store: SQLiteStore) -> asyncio.Task[None]:
        """`store.open()` under way, held inside this migration."""
        task = asyncio.create_task(store.open())
        assert await asyncio.to_thread(self.begun.wait, WAIT_S)
        return task

    async def cancelled(self, store: SQLiteStore) -> None:
        """An open of `store` cancelled mid-migration, the migration then let go on."""
        task = await self.opening(store)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        self.go.set()


async def test_an_open_cancelled_mid_migration_is_taken_over_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migration = _GatedMigration.installed(monkeypatch)
    store = SQLiteStore(tmp_path / "graph.db")
    await migration.cancelled(store)
    await asyncio.wait_for(store.open(), WAIT_S)
    try:
        assert migration.done == 1  # one migration, not a second beside the first
        assert (await store.stats()).credentials == 0
    finally:
        await asyncio.wait_for(store.close(), WAIT_S)


async def test_a_close_during_an_open_waits_for_it_and_leaves_the_store_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migration = _GatedMigration.installed(monkeypatch)
    store = SQLiteStore(tmp_path / "graph.db")
    opening = await migration.opening(store)
    closing = asyncio.create_task(store.close())
    for _ in range(20):
        await asyncio.sleep(0)
    assert not closing.done()  # it waits for the open under way
    migration.go.set()
    await asyncio.wait_for(opening, WAIT_S)
    await asyncio.wait_for(closing, WAIT_S)
    with pytest.raises(StoreError, match="not open"):
        store.conn  # noqa: B018


async def test_a_close_after_a_cancelled_open_closes_its_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migration = _GatedMigration.installed(monkeypatch)
    made: list[sqlite3.Connection] = []
    monkeypatch.setattr(sqlite3, "connect", _recording_connections([], made))
    store = SQLiteStore(tmp_path / "graph.db")
    await migration.cancelled(store)
    await asyncio.wait_for(store.close(), WAIT_S)
    assert made
    for conn in made:
        with pytest.raises(sqlite3.ProgrammingError):
            conn.execute("SELECT 1")
