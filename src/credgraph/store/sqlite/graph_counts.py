"""The graph's counts kept by the store (schema step 13, one row of `graph_counts`): the rows
of `edges` and of the four node tables, and the edges whose end is missing (`dangling`), so
that `stats` after a write reads six numbers instead of counting 11 million edges (0.45 s
at a million credentials), a million credentials (15 ms), and the links whose end may be
missing (`DANGLING_COUNTS`: two index probes a link, 1 s for 90,000 of them at a million).

Every statement that inserts or deletes rows of these tables moves its count, in the same
transaction, by the rows it changed: the cursor's `rowcount`, which counts what an INSERT OR
IGNORE actually inserted (not what it ignored) and what a DELETE removed. An upsert's
`rowcount` does not tell an insert from an update: the one upsert of edges (a skill
requirement's) moves the count by the pairs it had read as not stored.
An edge lacks an end by its type (`DANGLING_COUNTS`); whether it does changes when it is
written or deleted, and when a node it names is inserted (nodes are never deleted): each
such statement moves `dangling` by the change among the edges it can touch, counted around
it (`dangling_moved`, `node_inserted`).

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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Literal

from credgraph.store.sqlite.link_index import MAYBE_DANGLING
from credgraph.store.sqlite.sql import select_in

Counted = Literal["issuers", "credentials", "skills", "occupations", "edges", "dangling"]
TABLES: tuple[Counted, ...] = ("issuers", "credentials", "skills", "occupations", "edges")
COUNTED: tuple[Counted, ...] = (*TABLES, "dangling")

# An edge of these types may name an end not stored (yet): the relationships counted leave
# it out. The repeated term is the partial index's own condition (`link_index`), so SQLite
# reads that index rather than every edge.
DANGLING_COUNTS = (
    f"SELECT count(*) FROM edges WHERE {MAYBE_DANGLING} AND type IN ('PART_OF', 'REQUIRES') "
    "AND (NOT EXISTS (SELECT 1 FROM credentials WHERE id = src) OR "
    "NOT EXISTS (SELECT 1 FROM credentials WHERE id = dst))",
    f"SELECT count(*) FROM edges WHERE {MAYBE_DANGLING} AND type = 'BROADER' AND "
    "NOT EXISTS (SELECT 1 FROM skills WHERE id = dst)",
    # SAME_AS joins two skills or (crosswalks) two occupations
    f"SELECT count(*) FROM edges WHERE {MAYBE_DANGLING} AND type = 'SAME_AS' AND "
    "NOT EXISTS (SELECT 1 FROM skills WHERE id = dst) AND "
    "NOT EXISTS (SELECT 1 FROM occupations WHERE id = dst)",
)
MAY_DANGLE = frozenset({"PART_OF", "REQUIRES", "BROADER", "SAME_AS"})
# The edge `e` lacks an end: DANGLING_COUNTS's terms, for any edge.
_LACKS_END = (
    "((e.type = 'PART_OF' OR e.type = 'REQUIRES') AND "
    "(NOT EXISTS (SELECT 1 FROM credentials WHERE id = e.src) OR "
    "NOT EXISTS (SELECT 1 FROM credentials WHERE id = e.dst))) OR "
    "(e.type = 'BROADER' AND NOT EXISTS (SELECT 1 FROM skills WHERE id = e.dst)) OR "
    "(e.type = 'SAME_AS' AND NOT EXISTS (SELECT 1 FROM skills WHERE id = e.dst) AND "
    "NOT EXISTS (SELECT 1 FROM occupations WHERE id = e.dst))"
)

_RECOUNT = (
    "INSERT OR REPLACE INTO graph_counts (id, version, "
    + ", ".join(COUNTED)
    + ") SELECT 1, credentials, "
    + ", ".join(f"(SELECT count(*) FROM {table})" for table in TABLES)
    + ", "
    + " + ".join(f"({sql})" for sql in DANGLING_COUNTS)
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
    found: dict[Counted, int] = {
        t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES
    }
    found["dangling"] = sum(int(conn.execute(sql).fetchone()[0]) for sql in DANGLING_COUNTS)
    return found


@contextmanager
def dangling_moved(conn: sqlite3.Connection, count: Callable[[], int]) -> Iterator[None]:
    """Around a statement that writes edges: `count` counts the edges lacking an end among
    every edge the statement can write, before it and after it."""
    before = count()
    yield
    move(conn, "dangling", count() - before)


def dangling_among(conn: sqlite3.Connection, keys: Iterable[tuple[str, str, str]]) -> int:
    """The stored edges lacking an end among these keys (src, type, dst)."""
    found = list(dict.fromkeys(k for k in keys if k[1] in MAY_DANGLE))
    total = 0
    for start in range(0, len(found), 300):
        part = found[start : start + 300]
        values = ", ".join(["(?, ?, ?)"] * len(part))
        (n,) = conn.execute(
            f"WITH k (src, type, dst) AS (VALUES {values}) SELECT count(*) FROM k "
            f"JOIN edges e ON e.src = k.src AND e.type = k.type AND e.dst = k.dst "
            f"WHERE {_LACKS_END}",
            [v for key in part for v in key],
        ).fetchone()
        total += int(n)
    return total


def dangling_staged(conn: sqlite3.Connection) -> int:
    """The stored edges lacking an end among the keys of the staged links (bulk.py)."""
    (n,) = conn.execute(
        "SELECT count(*) FROM (SELECT DISTINCT src, type, dst FROM staged_edges "
        f"WHERE {MAYBE_DANGLING}) k JOIN edges e ON e.src = k.src AND e.type = k.type "
        f"AND e.dst = k.dst WHERE {_LACKS_END}"
    ).fetchone()
    return int(n)


def dangling_owned(
    conn: sqlite3.Connection, end: str, types: Iterable[str], ids: Sequence[str]
) -> int:
    """The stored edges lacking an end among those of `types` whose `end` ('src' or 'dst') is
    one of `ids` and which that end owns (what `writes._delete_owned_edges` deletes)."""
    kept = [t for t in types if t in MAY_DANGLE]
    if not kept or not ids:
        return 0
    column = {"src": "src", "dst": "dst"}[end]  # a constant, never input
    type_terms = " OR ".join(f"e.type = '{t}'" for t in kept)  # our own constants
    rows = select_in(
        conn,
        f"SELECT count(*) FROM edges e WHERE e.{column} IN ({{ids}}) AND e.owner = e.{column} "
        f"AND ({type_terms}) AND ({_LACKS_END})",
        ids,
    )
    return sum(int(r[0]) for r in rows)


# The links a new skill or occupation row completes, counted: a BROADER edge (to a skill) or a
# SAME_AS edge lacks only its end; a SAME_AS end the other kind already holds was not lacking.
_ENDING_AT = {
    "skills": "SELECT count(*) FROM edges WHERE dst IN ({ids}) AND (type = 'BROADER' OR "
    "(type = 'SAME_AS' AND NOT EXISTS (SELECT 1 FROM occupations o WHERE o.id = dst)))",
    "occupations": "SELECT count(*) FROM edges WHERE dst IN ({ids}) AND type = 'SAME_AS' "
    "AND NOT EXISTS (SELECT 1 FROM skills s WHERE s.id = dst)",
}


def node_inserted(conn: sqlite3.Connection, table: str, ids: Sequence[str]) -> None:
    """Call right after inserting the nodes `ids` into `table` (none of them stored before):
    the edges naming them that lacked that end, and now lack none, are no longer dangling."""
    if not ids:
        return
    if table == "credentials":
        # Both of a credential link's ends are credentials: it lacked this one, and lacks
        # none now if its other end is stored (a link between two new ones counted once).
        resolved = select_in(
            conn,
            "SELECT src, type, dst FROM edges WHERE src IN ({ids}) AND "
            "(type = 'PART_OF' OR type = 'REQUIRES') "
            "AND EXISTS (SELECT 1 FROM credentials WHERE id = dst)",
            ids,
        ) + select_in(
            conn,
            "SELECT src, type, dst FROM edges WHERE dst IN ({ids}) AND "
            "(type = 'PART_OF' OR type = 'REQUIRES') "
            "AND EXISTS (SELECT 1 FROM credentials WHERE id = src)",
            ids,
        )
        move(conn, "dangling", -len({tuple(r) for r in resolved}))
    elif table in _ENDING_AT:
        rows = select_in(conn, _ENDING_AT[table], ids)
        move(conn, "dangling", -sum(int(r[0]) for r in rows))


def repair(conn: sqlite3.Connection) -> bool:
    """Count the tables into the row if it is not trusted at the graph's version (inside a
    write transaction); whether it had to."""
    _version, counts = kept(conn)
    if counts is not None:
        return False
    conn.execute(_RECOUNT)
    return True
