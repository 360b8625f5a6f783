"""The graph's version on SQLite: one counter row (`graph_version`), bumped inside every write
transaction that changed the graph, so a reader sees a new version exactly when it can see
the change, whichever connection or process wrote it.

The crawl ledger and leases are not the graph and leave it alone. The column keeps the name
it was created with (`credentials`); it counts every change to the graph.

Each full-text index of a node kind has a version of its own (`search_versions`, schema step
10), moved by the number of rows written in the transaction that writes them: what search keeps between writes (a
ranking's best rows, a word's count: `kept_rankings.py`, `search.py`) is a function of one
index alone, and stays right while only the others are written (a crawl writing
credentials leaves the skills' index, and the ranking of "data" among 12,500 skills, alone).
The write paths move them (`bump_search`), not triggers: a trigger runs once per row, 0.022 ms
of each credential's write. So every process writing a file must be of a version that knows
them (docs/operations.md, "Upgrading").
"""

from __future__ import annotations

import sqlite3

from credgraph.model.views import StaleReport, UpsertReport
from credgraph.store.sqlite import graph_counts


def bump(conn: sqlite3.Connection) -> None:
    """Call inside the write transaction that changed the graph."""
    conn.execute("UPDATE graph_version SET credentials = credentials + 1 WHERE id = 1")
    graph_counts.bump(conn)  # its writes moved the counts they changed


def bump_if_changed(conn: sqlite3.Connection, report: UpsertReport | StaleReport) -> None:
    """`bump` when `report` says the write changed something."""
    if isinstance(report, StaleReport):
        changed = bool(report.newly_stale or report.revived)
    else:
        changed = bool(report.created or report.updated or report.deleted)
    if changed:
        bump(conn)


SEARCH_INDEXES = ("credentials_fts", "issuers_fts", "skills_fts", "occupations_fts")
SEARCH_VERSIONS = (
    "CREATE TABLE IF NOT EXISTS search_versions "
    "(fts TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID;\n"
    "INSERT OR IGNORE INTO search_versions (fts, version) VALUES "
    + ", ".join(f"('{fts}', 0)" for fts in SEARCH_INDEXES)
)


def bump_search(conn: sqlite3.Connection, fts: str, rows: int) -> None:
    """Call inside the write transaction that wrote `rows` rows of the full-text index `fts`
    (inserted, replaced or deleted): the version moves by that many, so the difference of two
    versions bounds the rows written between them (`search.TermCounts.floor`)."""
    conn.execute("UPDATE search_versions SET version = version + ? WHERE fts = ?", (rows, fts))


def search_version(conn: sqlite3.Connection, fts: str) -> int:
    """The version of the full-text index `fts` as this connection's transaction sees it."""
    (version,) = conn.execute(
        "SELECT version FROM search_versions WHERE fts = ?", (fts,)
    ).fetchone()
    return int(version)


def current(conn: sqlite3.Connection) -> int:
    """The counter as this connection's transaction sees it."""
    (version,) = conn.execute("SELECT credentials FROM graph_version WHERE id = 1").fetchone()
    return int(version)


def graph_version(conn: sqlite3.Connection) -> str:
    return str(current(conn))
