"""Bulk loading into an empty SQLite store: indexes built once at the end, links sorted once.

Upserting a million credentials batch by batch into the finished schema rewrites, at every
commit, the pages of every index the batch touches: the credential sort indexes, the reverse
link index and the link table itself, all keyed by values scattered across their range.
Past ~100k credentials those pages no longer fit the page cache and each commit writes most of
them again (measured at 1M: 14.5x the database's size written for one load).

A bulk load (`SQLiteStore.bulk_load`), begun on a store without credentials, instead:
- drops the non-unique indexes of credentials, links and provenance (their definitions are
  kept in `deferred_indexes`) and builds them again at the end, each in one sorted pass;
- appends new credentials' links to `staged_edges` in arrival order and, at the end, inserts
  them into `edges` sorted by key (INSERT OR IGNORE in arrival order, as row by row would);
- lets the credentials' full-text index merge its segments only many at a time, and merges
  them into one at the end (each row's postings rewritten a fixed few times, not once per
  level of FTS5's merge tree, which deepens as the load grows);
- uses a rollback journal instead of the WAL: pages a batch appends are written once, into
  the database, instead of into the WAL and again by the checkpoint. Commits stay atomic and
  durable as in WAL mode; readers wait for each batch's commit instead of reading beside it.

Both tables live in the database file and change in the batches' own transactions, so a load
that is interrupted (crash, kill) is finished the next time the store is opened. Reads during
a load see credentials whose links are still staged, and run without the deferred indexes;
the load expects the file to itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from credgraph.store.sqlite import graph_counts
from credgraph.store.sqlite import version as graph_version
from credgraph.store.sqlite.sql import select_in

# The tables whose non-unique indexes wait for the end of the load. Unique indexes stay: they
# are constraints, and the upsert looks credentials up by id.
DEFERRED_TABLES = ("credentials", "edges", "provenance", "credential_versions")
# The credentials' full-text index writes a new segment at every commit and whenever its pending
# postings pass about a megabyte, and by default merges four segments of a level into one of the
# next: each row is rewritten once per level, and the levels grow with the load (FTS5's
# `automerge`, `crisismerge`). During a load, segments merge only BULK_CRISISMERGE at a time,
# and one `optimize` at the end writes them all into one segment.
BULK_CRISISMERGE = 64
FTS5_AUTOMERGE = 4  # FTS5's defaults, given back when the load ends
FTS5_CRISISMERGE = 16


def is_empty(conn: sqlite3.Connection) -> bool:
    (found,) = conn.execute("SELECT EXISTS (SELECT 1 FROM credentials)").fetchone()
    return not found


def in_progress(conn: sqlite3.Connection) -> bool:
    """A load began and has not finished (this process's, or one that was interrupted)."""
    (deferred,) = conn.execute("SELECT EXISTS (SELECT 1 FROM deferred_indexes)").fetchone()
    (staged,) = conn.execute("SELECT EXISTS (SELECT 1 FROM staged_edges)").fetchone()
    return bool(deferred or staged)


def defer_indexes(conn: sqlite3.Connection) -> None:
    """Keep the deferred indexes' definitions and drop them (inside the caller's transaction)."""
    marks = ",".join("?" * len(DEFERRED_TABLES))
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({marks})",
        DEFERRED_TABLES,
    ).fetchall()
    conn.executemany("INSERT INTO deferred_indexes (name, sql) VALUES (?, ?)", rows)
    for name, _ in rows:
        # The name comes from sqlite_master, quoted as an identifier: never from input.
        conn.execute(f'DROP INDEX "{name.replace(chr(34), chr(34) * 2)}"')
    _search_merging(conn, automerge=0, crisismerge=BULK_CRISISMERGE)


def _search_merging(conn: sqlite3.Connection, *, automerge: int, crisismerge: int) -> None:
    # FTS5 settings, kept in the index's own config table (so an interrupted load's finish
    # finds them); the values are our constants.
    for option, value in (("automerge", automerge), ("crisismerge", crisismerge)):
        conn.execute(
            "INSERT INTO credentials_fts (credentials_fts, rank) VALUES (?, ?)", (option, value)
        )


def merge_search_index(conn: sqlite3.Connection) -> None:
    """Merge the credentials' full-text segments the load wrote into one, and give the index
    back FTS5's default merging (inside the caller's transaction)."""
    conn.execute("INSERT INTO credentials_fts (credentials_fts) VALUES ('optimize')")
    _search_merging(conn, automerge=FTS5_AUTOMERGE, crisismerge=FTS5_CRISISMERGE)


def stage_edges(
    conn: sqlite3.Connection, rows: list[tuple[str, str, str, str, str | None]]
) -> None:
    conn.executemany(
        "INSERT INTO staged_edges (src, type, dst, owner, props) VALUES (?, ?, ?, ?, ?)", rows
    )


def any_stored(conn: sqlite3.Connection, ids: Iterable[str]) -> bool:
    """Whether any of these credentials is stored already (its update needs the indexes)."""
    return bool(select_in(conn, "SELECT 1 FROM credentials WHERE id IN ({ids}) LIMIT 1", ids))


def sort_in_links(conn: sqlite3.Connection) -> None:
    """Insert the staged links into `edges` in key order and empty the staging table (inside
    the caller's transaction, under `spilling_to_files`)."""
    with graph_counts.dangling_moved(conn, lambda: graph_counts.dangling_staged(conn)):
        inserted = conn.execute(
            "INSERT OR IGNORE INTO edges (src, type, dst, owner, props) "
            "SELECT src, type, dst, owner, props FROM staged_edges ORDER BY src, type, dst, rowid"
        )
    graph_counts.inserted(conn, "edges", inserted)
    conn.execute("DELETE FROM staged_edges")
    graph_version.bump(conn)  # the links are in the graph now: what was kept by version is not


def build_indexes(conn: sqlite3.Connection) -> None:
    """Create the deferred indexes again (inside the caller's transaction). In a transaction
    after `sort_in_links`'s: the pages the staged links freed are then free-list pages, which
    the indexes reuse without copying their old content into the rollback journal first."""
    for (sql,) in conn.execute("SELECT sql FROM deferred_indexes ORDER BY name").fetchall():
        conn.execute(sql)  # a definition SQLite itself kept in sqlite_master
    conn.execute("DELETE FROM deferred_indexes")


@contextmanager
def spilling_to_files(conn: sqlite3.Connection) -> Iterator[None]:
    """Sorts spill to temporary files rather than memory while this lasts: the staged links of
    a million credentials are larger than the process may grow. Outside any transaction."""
    (temp_store,) = conn.execute("PRAGMA temp_store").fetchone()
    conn.execute("PRAGMA temp_store = FILE")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA temp_store = {int(temp_store)}")


def set_journal(conn: sqlite3.Connection, mode: str) -> str:
    """Switch the journal (outside any transaction); returns the mode in force after, which
    stays WAL while another connection has the file open."""
    if mode not in ("wal", "delete"):
        raise ValueError(f"journal mode {mode!r}")
    try:
        (now,) = conn.execute(f"PRAGMA journal_mode = {mode}").fetchone()
    except sqlite3.OperationalError:  # locked by a reader: keep the journal as it is
        (now,) = conn.execute("PRAGMA journal_mode").fetchone()
    return str(now).lower()
