"""The graph's counts kept by the store (schema step 13, one row of `graph_counts`): the rows
of `edges` and of the four node tables, so that `stats` after a write reads five numbers
instead of counting 11 million edges (0.45 s at a million credentials) and a million
credentials (15 ms).

Every statement that inserts or deletes rows of these tables moves its count, in the same
transaction, by the rows it changed: the cursor's `rowcount`, which counts what an INSERT OR
IGNORE actually inserted (not what it ignored) and what a DELETE removed. An upsert's
`rowcount` does not tell an insert from an update, so no write of these tables is an upsert.
The write paths move them, not triggers: a trigger runs once per row, 0.022 ms of each
credential's write (`version.py`).

The counts are right at one graph version: `version.bump` moves the row's `version` with the
graph's. A process that does not know this row (an older credgraph still writing after the
upgrade) moves the graph's version alone, and the counts are then not trusted: `stats`
counts the tables as before, and the next open of the store counts them into the row again
(`repair`).
"""

from __future__ import annotations

import sqlite3
from typing import Literal

Counted = Literal["issuers", "credentials", "skills", "occupations", "edges"]
COUNTED: tuple[Counted, ...] = ("issuers", "credentials", "skills", "occupations", "edges")

_RECOUNT = (
    "INSERT OR REPLACE INTO graph_counts (id, version, "
    + ", ".join(COUNTED)
    + ") SELECT 1, credentials, "
    + ", ".join(f"(SELECT count(*) FROM {table})" for table in COUNTED)
    + " FROM graph_version WHERE id = 1"
)

# Step 13. The recount makes running it again harmless (a test brings a store back to an
# earlier step and opens it).
GRAPH_COUNTS = (
    "CREATE TABLE IF NOT EXISTS graph_counts (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "version INTEGER NOT NULL, " + ", ".join(f"{t} INTEGER NOT NULL" for t in COUNTED) + ");\n"
    f"{_RECOUNT}"
)

# The column names are the constants above, never input.
_MOVE = {table: f"UPDATE graph_counts SET {table} = {table} + ? WHERE id = 1" for table in COUNTED}


def inserted(conn: sqlite3.Connection, table: Counted, cursor: sqlite3.Cursor) -> None:
    """Call right after the statement (`execute` or `executemany`) that inserted rows into
    `table`, inside its transaction."""
    move(conn, table, max(cursor.rowcount, 0))  # -1: no statement ran


def deleted(conn: sqlite3.Connection, table: Counted, cursor: sqlite3.Cursor) -> None:
    """Call right after the statement that deleted rows of `table`, inside its transaction."""
    move(conn, table, -max(cursor.rowcount, 0))


def move(conn: sqlite3.Connection, table: Counted, rows: int) -> None:
    """`rows` more (fewer, if negative) rows in `table`, inside the transaction that wrote
    them."""
    if rows:
        conn.execute(_MOVE[table], (rows,))


def bump(conn: sqlite3.Connection) -> None:
    """The counts are as right after the transaction's writes as before: they stay trusted at
    the graph's next version (`version.bump` calls this)."""
    conn.execute("UPDATE graph_counts SET version = version + 1 WHERE id = 1")


def kept(conn: sqlite3.Connection) -> tuple[int, dict[Counted, int] | None]:
    """The graph's version and, when they are right at that version, its kept counts (None
    when a writer that does not keep them wrote since)."""
    row = conn.execute(
        "SELECT g.credentials, c.version, "
        + ", ".join(f"c.{t}" for t in COUNTED)
        + " FROM graph_version g LEFT JOIN graph_counts c ON c.id = 1 WHERE g.id = 1"
    ).fetchone()
    version, counted_at, *counts = row
    if counted_at != version:
        return int(version), None
    return int(version), {t: int(n) for t, n in zip(COUNTED, counts, strict=True)}


def counted(conn: sqlite3.Connection) -> dict[Counted, int]:
    """Every count, counted now (a scan of each table)."""
    return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in COUNTED}


def repair(conn: sqlite3.Connection) -> bool:
    """Count the tables into the row if it is not trusted at the graph's version (inside a
    write transaction); whether it had to."""
    _version, counts = kept(conn)
    if counts is not None:
        return False
    conn.execute(_RECOUNT)
    return True
