"""The pathway search on SQLite: an in-memory adjacency of the links between stored
credentials, built on a reader thread and cached per graph version (`graph_version`, bumped by
every credential write), then the bounded search of `store.pathsearch`.

Building reads every credential-to-credential link and every credential's hours once (about
a third of a second for 100,000 credentials); a query on a cached adjacency costs its search
alone. The cache holds one adjacency; a reader that finds it stale builds the new one.
"""

from __future__ import annotations

import json
import sqlite3
import threading

from credgraph.model.stacking import PathwayGoal, Route
from credgraph.model.values import Credits
from credgraph.store.pathsearch import Adjacency, search

_LINK_TYPES = "('PREPARES_FOR_CREDENTIAL', 'PART_OF', 'ADVANCED_STANDING', 'PUBLISHED_PATHWAY')"


def bump_version(conn: sqlite3.Connection) -> None:
    """Call inside the write transaction that changed credentials."""
    conn.execute("UPDATE graph_version SET credentials = credentials + 1 WHERE id = 1")


class AdjacencyCache:
    """One adjacency, for the graph version it was built from; safe across reader threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: int | None = None
        self._adjacency: Adjacency | None = None

    def get(self, conn: sqlite3.Connection) -> Adjacency:
        (version,) = conn.execute("SELECT credentials FROM graph_version WHERE id = 1").fetchone()
        with self._lock:
            if self._adjacency is not None and self._version == version:
                return self._adjacency
        adjacency = _build(conn)  # outside the lock: another reader may use the old one
        with self._lock:
            self._version, self._adjacency = version, adjacency
        return adjacency


def _build(conn: sqlite3.Connection) -> Adjacency:
    hours = {cid: float(h or 0.0)
             for cid, h in conn.execute("SELECT id, duration_hours FROM credentials")}
    rows = []
    for src, edge_type, dst, props in conn.execute(
        f"SELECT src, type, dst, props FROM edges WHERE type IN {_LINK_TYPES}"
    ):
        if src in hours and dst in hours:
            rows.append((src, edge_type, dst, _credits(props)))
    return Adjacency.build(rows, hours)


def _credits(props: str | None) -> Credits | None:
    if not props:
        return None
    data = json.loads(props)
    value, unit = data.get("credits_value"), data.get("credits_unit")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Credits(float(value), unit if isinstance(unit, str) else None)
    return None


def find(conn: sqlite3.Connection, cache: AdjacencyCache, start: str, goal: PathwayGoal,
         max_steps: int, first: int) -> list[Route]:
    adjacency = cache.get(conn)
    goals = set(goal.credentials)
    if goal.occupation is not None:
        goals.update(src for (src,) in conn.execute(
            "SELECT src FROM edges WHERE dst = ? AND type = 'PREPARES_FOR'", (goal.occupation,)))
    return search(adjacency, start, frozenset(goals), max_steps, first)
