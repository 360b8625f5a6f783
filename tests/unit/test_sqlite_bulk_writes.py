"""A bulk upsert grows the SQLite writer's page cache for its transaction only, and the writer
checkpoints its WAL in large steps."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from credgraph.model import Credential
from credgraph.store.sqlite.connection import (
    BULK_CACHE_KIB,
    BULK_RECORDS,
    WAL_AUTOCHECKPOINT_PAGES,
    WRITER_CACHE_KIB,
    bulk_cache,
    connect,
)
from credgraph.store.sqlite.store import SQLiteStore


def cache_kib(conn: sqlite3.Connection) -> int:
    (pages,) = conn.execute("PRAGMA cache_size").fetchone()
    return -int(pages)


@pytest.mark.parametrize(("records", "during"), [(BULK_RECORDS - 1, WRITER_CACHE_KIB),
                                                 (BULK_RECORDS, BULK_CACHE_KIB)])  # fmt: skip
def test_the_cache_grows_for_a_bulk_batch_and_shrinks_after(
    tmp_path: Path, records: int, during: int
) -> None:
    conn = connect(tmp_path / "g.db")
    with bulk_cache(conn, records):
        assert cache_kib(conn) == during
    assert cache_kib(conn) == WRITER_CACHE_KIB
    with pytest.raises(RuntimeError), bulk_cache(conn, records):
        raise RuntimeError("a failed batch")
    assert cache_kib(conn) == WRITER_CACHE_KIB
    assert conn.execute("PRAGMA wal_autocheckpoint").fetchone() == (WAL_AUTOCHECKPOINT_PAGES,)
    conn.close()


async def test_a_bulk_upsert_stores_every_record_and_leaves_the_cache_as_it_was(
    tmp_path: Path,
) -> None:
    store = SQLiteStore(tmp_path / "g.db")
    await store.open()
    try:
        batch = [Credential(f"https://bulk.example/{i}", f"Bulk {i}") for i in range(BULK_RECORDS)]
        report = await store.upsert_credentials(batch)
        assert report.created == BULK_RECORDS
        assert cache_kib(store.conn) == WRITER_CACHE_KIB
        assert (await store.stats()).credentials == BULK_RECORDS
    finally:
        await store.close()
