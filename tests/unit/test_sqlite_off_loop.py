"""Opening and closing a SQLite store run their statements off the event loop.

Migrating a graph, finishing a bulk load a crash interrupted, and the WAL checkpoint the last
connection's close makes take seconds at a million credentials; the loop keeps serving (a
scheduler's leases, an API's health checks) while they run.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from credgraph.store.sqlite import SQLiteStore
from credgraph.store.sqlite import store as sqlite_store


def _recording_connections(threads: list[int]) -> Callable[..., sqlite3.Connection]:
    """`sqlite3.connect` whose connections note the thread each `close` runs on."""
    real = sqlite3.connect

    class Recording(sqlite3.Connection):
        def close(self) -> None:
            threads.append(threading.get_ident())
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
