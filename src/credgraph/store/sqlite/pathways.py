"""The pathway search on SQLite: an in-memory adjacency of the links between stored
credentials, built on a reader thread and cached per graph version (`store.sqlite.version`,
read in the same transaction as the links the adjacency is built from), then the bounded
search of `store.pathsearch`.

Building reads every credential-to-credential link and every credential's hours once (about
half a second for 100,000 credentials on an idle core, seconds on a busy machine); a query
on a cached adjacency costs its search alone. The cache holds one adjacency; the first reader
to find it stale builds the new one while the others wait for it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence

from credgraph.model.stacking import PathwayGoal, Route
from credgraph.model.values import Credits
from credgraph.store.pathsearch import EDGE_RELATIONS, RANK, Adjacency, Link, Links, search
from credgraph.store.sqlite.link_index import CREDENTIAL_LINKS
from credgraph.store.sqlite.version import current

# A credential's own links are read by primary key (src, type); all links at once, in
# `_build`, from the partial index edges_credential_links, whose condition (`link_index`)
# they repeat so that SQLite uses it: the links without properties from the index alone.
_LINK_TYPES = "('PREPARES_FOR_CREDENTIAL', 'PART_OF', 'ADVANCED_STANDING', 'PUBLISHED_PATHWAY')"


class AdjacencyCache:
    """One adjacency, for the graph version it was built from; safe across reader threads.

    A search uses it only when it is current. Otherwise the search reads links on demand
    (`LiveLinks`) and the store rebuilds the adjacency in the background (`refresh`), once
    at a time: a crawl writing all the while never makes a search wait for a build."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: int | None = None
        self._adjacency: Adjacency | None = None
        self.building = False  # a refresh is queued or running (set on the event loop)

    def current(self, conn: sqlite3.Connection) -> Adjacency | None:
        version = current(conn)
        with self._lock:
            return self._adjacency if self._version == version else None

    def refresh(self, conn: sqlite3.Connection) -> None:
        """Build the adjacency of the graph as `conn` sees it (on a reader thread)."""
        version = current(conn)
        with self._lock:
            if self._version == version:
                return
        adjacency = _build(conn)
        with self._lock:
            self._adjacency, self._version = adjacency, version


def refresh(conn: sqlite3.Connection, cache: AdjacencyCache) -> None:
    """A read job: `cache` rebuilt from the graph this read sees."""
    cache.refresh(conn)


class LiveLinks:
    """Links read from the database as the search reaches each credential (primary-key range
    scans): always current, a few hundred microseconds for a typical search."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def stored(self, credential: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM credentials WHERE id = ?", (credential,)).fetchone()
            is not None
        )

    def forward(self, credential: str) -> Sequence[tuple[Link, float | None]]:
        rows = self.conn.execute(
            "SELECT e.type, e.dst, e.props, c.duration_hours FROM edges e "
            "JOIN credentials c ON c.id = e.dst "
            f"WHERE e.src = ? AND e.type IN {_LINK_TYPES}",
            (credential,),
        ).fetchall()
        best: dict[str, tuple[Link, float | None]] = {}
        for edge_type, target, props, hours in rows:
            via = EDGE_RELATIONS[edge_type]
            found = best.get(target)
            if target == credential or (found is not None and RANK[found[0].via] <= RANK[via]):
                continue
            granted = _credits(props) if edge_type == "ADVANCED_STANDING" else None
            best[target] = (Link(target, via, granted), _hours(hours))
        return list(best.values())


def _hours(stored: float | None) -> float | None:
    """A credential's study hours; None when it states none (unknown, not 0)."""
    return None if stored is None else float(stored)


def _build(conn: sqlite3.Connection) -> Adjacency:
    hours = {
        cid: _hours(h) for cid, h in conn.execute("SELECT id, duration_hours FROM credentials")
    }
    rows: list[tuple[str, str, str, Credits | None]] = [
        (src, edge_type, dst, None)
        for src, edge_type, dst in conn.execute(
            f"SELECT src, type, dst FROM edges WHERE {CREDENTIAL_LINKS} "
            "AND type <> 'ADVANCED_STANDING'"
        )
        if src in hours and dst in hours
    ]
    rows += [
        (src, "ADVANCED_STANDING", dst, _credits(props))
        for src, dst, props in conn.execute(
            f"SELECT src, dst, props FROM edges WHERE {CREDENTIAL_LINKS} "
            "AND type = 'ADVANCED_STANDING'"
        )
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


def find(
    conn: sqlite3.Connection,
    cache: AdjacencyCache,
    start: str,
    goal: PathwayGoal,
    max_steps: int,
    first: int,
) -> tuple[list[Route], bool]:
    """The routes, and whether the cached adjacency was stale (the caller may refresh it)."""
    adjacency = cache.current(conn)
    goals = set(goal.credentials)
    if goal.occupation is not None:
        goals.update(
            src
            for (src,) in conn.execute(
                "SELECT src FROM edges WHERE dst = ? AND type = 'PREPARES_FOR'", (goal.occupation,)
            )
        )
    graph: Links = adjacency if adjacency is not None else LiveLinks(conn)
    return search(graph, start, frozenset(goals), max_steps, first), adjacency is None
