"""Opening a new SQLite file while another connection switches it to WAL: the open waits for
the lock like any other write, then fails clearly if it is held past the wait timeout.

SQLite refuses the switch's upgrade from read to write at once, without the busy handler, when
another connection holds the file's write lock in rollback mode (as it does while switching a
new file itself); several processes opening one new file met that refusal."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from credgraph.errors import StoreUnavailable
from credgraph.store.sqlite.connection import connect


def locked_in_rollback_mode(path: Path) -> sqlite3.Connection:
    """A connection holding a new file's write lock, the file still in rollback mode."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE t (x)")
    return holder


def test_the_switch_to_wal_waits_for_the_lock_then_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    holder = locked_in_rollback_mode(path)
    opened: list[sqlite3.Connection] = []
    failed: list[BaseException] = []

    def opening() -> None:
        try:
            opened.append(connect(path, busy_timeout_ms=120_000))
        except BaseException as exc:  # reported by the assertions below
            failed.append(exc)

    thread = threading.Thread(target=opening)
    thread.start()
    try:
        thread.join(0.5)
        # Still waiting for the lock: before the retry it had failed at once.
        assert thread.is_alive(), failed
    finally:
        holder.execute("COMMIT")
    thread.join()
    assert failed == [] and len(opened) == 1
    (mode,) = opened[0].execute("PRAGMA journal_mode").fetchone()
    assert mode == "wal"
    # the retries shortened the wait inside SQLite to what was left; the connection's own is back
    assert opened[0].execute("PRAGMA busy_timeout").fetchone() == (120_000,)
    opened[0].close()
    holder.close()


def test_the_switch_to_wal_fails_clearly_past_the_wait_timeout(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    holder = locked_in_rollback_mode(path)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="stayed locked by another process"):
        connect(path, busy_timeout_ms=300)
    assert time.monotonic() - started >= 0.3  # waited its timeout, not less
    holder.execute("ROLLBACK")
    holder.close()
