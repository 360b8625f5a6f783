"""A bulk load into an empty SQLite store defers its indexes and stages its links, and ends
with the same database a row-by-row load makes: ended normally, ended by an update of a
stored credential, or interrupted and finished when the file is next opened."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from pathlib import Path
from typing import Any

from credgraph.model import Credential, NodeKind
from credgraph.store.sqlite import bulk
from credgraph.store.sqlite.connection import write_transaction
from credgraph.store.sqlite.schema import SCHEMA_VERSION
from credgraph.store.sqlite.store import SQLiteStore
from tests.contract import data
from tests.contract.test_writes import load


def snapshot(path: Path) -> dict[str, Any]:
    """What a load leaves behind, without the times it ran at."""
    conn = sqlite3.connect(path)
    try:
        return {
            "edges": conn.execute(
                "SELECT src, type, dst, owner, props FROM edges ORDER BY src, type, dst"
            ).fetchall(),
            "indexes": sorted(
                conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
            ),
            "credentials": conn.execute(
                "SELECT id, name, issuer_id, skill_count, content_hash FROM credentials ORDER BY id"
            ).fetchall(),
            "found": conn.execute(
                "SELECT rowid FROM credentials_fts WHERE credentials_fts MATCH 'analyst'"
            ).fetchall(),
            "merging": search_merging(conn),
            "segments": search_segments(conn),
            "staged": conn.execute("SELECT count(*) FROM staged_edges").fetchone(),
            "deferred": conn.execute("SELECT count(*) FROM deferred_indexes").fetchone(),
            "journal": conn.execute("PRAGMA journal_mode").fetchone(),
            "integrity": conn.execute("PRAGMA integrity_check").fetchone(),
        }
    finally:
        conn.close()


def search_merging(conn: sqlite3.Connection) -> dict[str, int]:
    """The credentials' full-text index's merge settings in force (FTS5 keeps those set in its
    config table; an absent one is FTS5's default)."""
    kept = dict(
        conn.execute(
            "SELECT k, v FROM credentials_fts_config WHERE k IN ('automerge', 'crisismerge')"
        ).fetchall()
    )
    return {
        "automerge": int(kept.get("automerge", bulk.FTS5_AUTOMERGE)),
        "crisismerge": int(kept.get("crisismerge", bulk.FTS5_CRISISMERGE)),
    }


def search_segments(conn: sqlite3.Connection) -> int:
    """How many segments the credentials' full-text index holds (FTS5's shadow table of its
    segments' pages)."""
    (segments,) = conn.execute("SELECT count(DISTINCT segid) FROM credentials_fts_idx").fetchone()
    return int(segments)


async def loaded_row_by_row(path: Path) -> dict[str, Any]:
    store = SQLiteStore(path)
    await store.open()
    try:
        await load(store)
    finally:
        await store.close()
    return snapshot(path)


def index_names(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


async def test_a_bulk_load_ends_with_the_database_a_row_by_row_load_makes(
    tmp_path: Path,
) -> None:
    expected = await loaded_row_by_row(tmp_path / "rows.db")
    store = SQLiteStore(tmp_path / "bulk.db")
    await store.open()
    try:
        async with store.bulk_load() as applies:
            assert applies
            await load(store)
            conn = store.conn
            assert "edges_reverse" not in index_names(conn)
            assert "credentials_cost" not in index_names(conn)
            assert "sqlite_autoindex_credentials_1" in index_names(conn)  # the id stays unique
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
            (staged,) = conn.execute("SELECT count(*) FROM staged_edges").fetchone()
            assert staged > 0
            # segments merged only many at a time while the load writes
            assert search_merging(conn) == {"automerge": 0, "crisismerge": 64}
        assert store.conn.execute("PRAGMA temp_store").fetchone() == (2,)  # memory, as before
        [view] = await store.get_credentials(["https://acme.example/badges/data-analyst"])
        assert [s.skill.id for s in view.skills] == [data.SQL.id, data.PY.id, data.STATS.id]
        assert view.has_part == ("https://acme.example/badges/sql-basics",)
    finally:
        await store.close()
    got = snapshot(tmp_path / "bulk.db")
    assert got == expected
    assert got["staged"] == got["deferred"] == (0,) and got["journal"] == ("wal",)
    assert got["integrity"] == ("ok",) and got["found"] != []
    assert got["merging"] == {"automerge": 4, "crisismerge": 16}  # FTS5's defaults, given back
    assert got["segments"] == 1


async def test_a_store_with_credentials_is_loaded_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    expected = await loaded_row_by_row(path)
    store = SQLiteStore(path)
    await store.open()
    try:
        async with store.bulk_load() as applies:
            assert not applies
            assert "edges_reverse" in index_names(store.conn)
            assert store.conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            report = await store.upsert_credentials(data.credentials())
            assert report.unchanged == len(data.credentials())
    finally:
        await store.close()
    assert snapshot(path) == expected


async def test_updating_a_stored_credential_ends_the_bulk_load_first(tmp_path: Path) -> None:
    expected_path = tmp_path / "rows.db"
    changed = [replace(c, skills=c.skills[:1]) for c in data.credentials()[:1]]
    store = SQLiteStore(expected_path)
    await store.open()
    try:
        await load(store)
        await store.upsert_credentials(changed)
    finally:
        await store.close()
    expected = snapshot(expected_path)

    store = SQLiteStore(tmp_path / "bulk.db")
    await store.open()
    try:
        async with store.bulk_load():
            await load(store)
            report = await store.upsert_credentials(changed)
            assert report.updated == 1
            # Ended by the update: links sorted in and indexes back before it replaced them.
            assert "edges_reverse" in index_names(store.conn)
            assert store.conn.execute("SELECT count(*) FROM staged_edges").fetchone() == (0,)
    finally:
        await store.close()
    got = snapshot(tmp_path / "bulk.db")
    assert got["edges"] == expected["edges"] and got["indexes"] == expected["indexes"]
    assert got["credentials"] == expected["credentials"]


async def loaded_in_bulk_without_its_end(
    path: Path,
) -> tuple[SQLiteStore, AbstractAsyncContextManager[bool]]:
    """A store at `path` with the contract data loaded inside a bulk load that never ends
    (its block is entered and never left), as a process killed during the load leaves it.
    The caller keeps the block: dropped, it would be closed, and the load ended."""
    store = SQLiteStore(path)
    await store.open()
    loading = store.bulk_load()
    await loading.__aenter__()
    await load(store)
    return store, loading


async def test_an_interrupted_bulk_load_is_finished_when_the_store_is_next_opened(
    tmp_path: Path,
) -> None:
    expected = await loaded_row_by_row(tmp_path / "rows.db")
    path = tmp_path / "bulk.db"
    store, _loading = await loaded_in_bulk_without_its_end(path)
    # The process dies here: the connection closes without the end of the load.
    store.conn.close()
    interrupted = snapshot(path)
    assert interrupted["staged"] != (0,) and interrupted["deferred"] != (0,)
    assert interrupted["merging"] == {"automerge": 0, "crisismerge": 64}

    store = SQLiteStore(path)
    await store.open()
    try:
        [view] = await store.get_credentials(["https://acme.example/badges/data-analyst"])
        assert [s.skill.id for s in view.skills] == [data.SQL.id, data.PY.id, data.STATS.id]
    finally:
        await store.close()
    assert snapshot(path) == expected


async def test_a_version_6_store_gains_the_bulk_load_tables(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    await loaded_row_by_row(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE deferred_indexes")
    conn.execute("DROP TABLE staged_edges")
    for table in ("credentials", "issuers", "skills", "occupations"):  # version 8
        conn.execute(f"ALTER TABLE {table} DROP COLUMN fingerprint")
    conn.execute("PRAGMA user_version = 6")
    conn.close()
    store = SQLiteStore(path)
    await store.open()
    try:
        assert (await store.stats()).credentials == len(data.credentials())
        async with store.bulk_load() as applies:
            assert not applies  # it holds credentials
    finally:
        await store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert {"deferred_indexes", "staged_edges"} <= tables


async def test_a_load_interrupted_between_its_two_last_steps_is_finished_too(
    tmp_path: Path,
) -> None:
    expected = await loaded_row_by_row(tmp_path / "rows.db")
    path = tmp_path / "bulk.db"
    store, _loading = await loaded_in_bulk_without_its_end(path)
    with write_transaction(store.conn, path) as conn:
        bulk.sort_in_links(conn)
    # The process dies after the links were sorted in, before the indexes were built.
    store.conn.close()
    interrupted = snapshot(path)
    assert interrupted["staged"] == (0,) and interrupted["deferred"] != (0,)
    assert interrupted["edges"] == expected["edges"]

    store = SQLiteStore(path)
    await store.open()
    await store.close()
    assert snapshot(path) == expected


async def test_a_load_of_several_batches_ends_with_one_full_text_segment(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "g.db")
    await store.open()
    try:
        async with store.bulk_load():
            for batch in range(3):
                await store.upsert_credentials(
                    [Credential(f"https://x.example/{batch}/{i}", f"Data {i}") for i in range(20)]
                )
            assert search_segments(store.conn) == 3  # one a commit, none merged
        assert search_segments(store.conn) == 1
        found = await store.search("data", [NodeKind.CREDENTIAL], limit=100)
        assert len(found) == 60
    finally:
        await store.close()
