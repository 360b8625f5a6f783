"""Opening a SQLite database the way credgraph needs it, and translating its errors.

WAL lets a `credgraph serve` process read while a `credgraph crawl` process writes the same
file, and a store's reader connections read while its writer connection writes;
`busy_timeout` makes a writer wait for the lock before failing with a clear message.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from credgraph.errors import StoreError, StoreUnavailable

DEFAULT_BUSY_TIMEOUT_MS = 10_000
# Per reader connection: with the default two readers, the 64 MiB the writer connection keeps,
# which served every read before reads moved to their own connections. Half that per reader
# still holds a 100k-credential store's credentials table and the indexes a page scans.
READER_CACHE_KIB = 32_768
WRITER_CACHE_KIB = 65_536
# While a batch of at least BULK_RECORDS is written, the writer's page cache grows to hold the
# index pages the batch dirties, so none is spilled to the WAL and written again before the
# commit; it shrinks back after.
BULK_RECORDS = 1_000
BULK_CACHE_KIB = 262_144
# Checkpoint the WAL into the database once it holds this many pages (SQLite's default: 1,000),
# so a page that several commits in a row dirty is copied into the database once, not once per
# commit: measured on the 100k-credential load, bytes written 8.3x -> 6.3x the file's size.
WAL_AUTOCHECKPOINT_PAGES = 65_536
WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024  # what the WAL file is truncated to after a checkpoint


def connect(path: Path, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    if str(path) != ":memory:" and path.parent and not path.parent.exists():
        raise StoreUnavailable(
            f"cannot open SQLite store {path}: folder {path.parent} does not exist"
        )
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves so a batch is one transaction.
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        _use_wal(conn, busy_timeout_ms)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
        conn.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT_BYTES}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise translate(exc, path) from exc
    return conn


def _use_wal(conn: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """Switch the file to WAL, waiting up to `busy_timeout_ms` for a connection that holds it.

    On a file still in rollback mode (a new one), the switch reads the header, then upgrades
    to a write; while another connection makes the same switch, SQLite refuses that upgrade at
    once, without the busy handler (waiting with a read open could deadlock). Processes
    opening a new file together met that refusal: so the switch is retried here until the
    same deadline as every other wait for the lock. A retry may wait inside SQLite too (for a
    lock the busy handler does wait for): its busy timeout is what is left until the
    deadline, and the connection's own is given back after."""
    deadline = time.monotonic() + busy_timeout_ms / 1000
    delay = 0.001
    try:
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                remaining = deadline - time.monotonic()
                if not is_busy(exc) or remaining <= 0:
                    raise
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 0.05)
            left_ms = max(1, int((deadline - time.monotonic()) * 1000))
            conn.execute(f"PRAGMA busy_timeout = {left_ms}")  # an int we computed
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")


def is_busy(exc: sqlite3.Error) -> bool:
    message = str(exc)
    return "locked" in message or "busy" in message


def connect_reader(
    path: Path, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
) -> sqlite3.Connection:
    """A connection that only reads (`query_only`), for the file the writer has opened and
    migrated. Any thread may use it, one at a time."""
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA query_only = ON")
        conn.execute(f"PRAGMA cache_size = -{READER_CACHE_KIB}")
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from exc
    return conn


def translate(exc: sqlite3.Error, path: Path) -> StoreError:
    message = str(exc)
    if is_busy(exc):
        return StoreUnavailable(
            f"SQLite store {path} stayed locked by another process past the wait timeout "
            f"({message}); is another crawl writing it?"
        )
    if isinstance(exc, sqlite3.IntegrityError):
        if "ctid" in message:
            return StoreError(f"SQLite store {path}: two credentials claim one CTID ({message})")
        return StoreError(f"SQLite store {path}: constraint failed ({message})")
    return StoreError(f"SQLite store {path}: {message}")


@contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """One IMMEDIATE transaction: takes the write lock up front (waiting up to busy_timeout),
    commits on success, rolls back everything on any error."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    try:
        yield conn
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK")
        raise translate(exc, path) from exc
    except BaseException:
        conn.execute("ROLLBACK")
        raise


@contextmanager
def bulk_cache(conn: sqlite3.Connection, records: int) -> Iterator[None]:
    """The writer's page cache grown for a batch of `records` when it is a bulk one."""
    if records < BULK_RECORDS:
        yield
        return
    conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")


@contextmanager
def reading(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
