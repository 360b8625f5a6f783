"""The pathway search on SQLite: an in-memory adjacency of the links between stored
credentials, built on a reader thread and cached per graph version (`graph_version`, bumped by
every write that changes credentials or published pathways), then the bounded search of
`store.pathsearch`.

Building reads every credential-to-credential link and every credential's hours once (about
half a second for 100,000 credentials on an idle core, seconds on a busy machine); a query
on a cached adjacency costs its search alone. The cache holds one adjacency; the first reader
to find it stale builds the new one while the others wait for it.
"""

from __future__ import annotations

import json
import sqlite3
import threading

from credgraph.model.stacking import PathwayGoal, Route
from credgraph.model.values import Credits
from credgraph.store.pathsearch import Adjacency, search

_LINK_TYPES = "('PREPARES_FOR_CREDENTIAL', 'PART_OF', 'ADVANCED_STANDING', 'PUBLISHED_PATHWAY')"
# Written as the partial index edges_credential_links is, so both reads below use it; the
# links without properties are read from the index alone.


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
        # Built under the lock: two searches arriving after a write build it once, not twice.
        with self._lock:
            if self._adjacency is None or self._version != version:
                self._adjacency, self._version = _build(conn), version
            return self._adjacency


def _build(conn: sqlite3.Connection) -> Adjacency:
    hours = {cid: float(h or 0.0)
             for cid, h in conn.execute("SELECT id, duration_hours FROM credentials")}
    rows: list[tuple[str, str, str, Credits | None]] = [
        (src, edge_type, dst, None)
        for src, edge_type, dst in conn.execute(
            f"SELECT src, type, dst FROM edges WHERE type IN {_LINK_TYPES} "
            "AND type <> 'ADVANCED_STANDING'")
        if src in hours and dst in hours
    ]
    rows += [
        (src, "ADVANCED_STANDING", dst, _credits(props))
        for src, dst, props in conn.execute(
            f"SELECT src, dst, props FROM edges WHERE type IN {_LINK_TYPES} "
            "AND type = 'ADVANCED_STANDING'")
        if src in hours and dst in hours
    ]
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
