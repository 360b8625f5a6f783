"""The graph's version on SQLite: one counter row (`graph_version`), bumped inside every write
transaction that changed the graph, so a reader sees a new version exactly when it can see
the change, whichever connection or process wrote it.

The crawl ledger and leases are not the graph and leave it alone. The column keeps the name
it was created with (`credentials`); it counts every change to the graph.
"""

from __future__ import annotations

import sqlite3

from credgraph.model.views import StaleReport, UpsertReport


def bump(conn: sqlite3.Connection) -> None:
    """Call inside the write transaction that changed the graph."""
    conn.execute("UPDATE graph_version SET credentials = credentials + 1 WHERE id = 1")


def bump_if_changed(conn: sqlite3.Connection, report: UpsertReport | StaleReport) -> None:
    """`bump` when `report` says the write changed something."""
    if isinstance(report, StaleReport):
        changed = bool(report.newly_stale or report.revived)
    else:
        changed = bool(report.created or report.updated or report.deleted)
    if changed:
        bump(conn)


def current(conn: sqlite3.Connection) -> int:
    """The counter as this connection's transaction sees it."""
    (version,) = conn.execute("SELECT credentials FROM graph_version WHERE id = 1").fetchone()
    return int(version)


def graph_version(conn: sqlite3.Connection) -> str:
    return str(current(conn))
