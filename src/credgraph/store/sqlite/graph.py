"""Streaming the graph out of SQLite: neighbourhoods layer by layer, and the whole graph.

Both are walks of bounded steps (`step(conn)` returns the next items) rather than generators
over one connection: the store runs each step as its own read in its reader pool, on
whichever reader thread is free, and yields the items on the event loop between steps.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any, Protocol

from credgraph.model.values import EdgeType, NodeKind
from credgraph.model.views import GraphEdge, GraphNode
from credgraph.store.mapping import flat_properties
from credgraph.store.sqlite.sql import CHUNK, NODE_TABLES, select_in

GraphItem = GraphNode | GraphEdge
BATCH = 2000
_MAY_DANGLE = {
    EdgeType.PART_OF,
    EdgeType.REQUIRES,
    EdgeType.BROADER,
    EdgeType.SAME_AS,
    EdgeType.PREPARES_FOR_CREDENTIAL,
    EdgeType.ADVANCED_STANDING,
    EdgeType.PUBLISHED_PATHWAY,
}


def _node(kind: NodeKind, row: Sequence[Any]) -> GraphNode:
    props = flat_properties(json.loads(row[1]))
    props["first_seen"], props["updated_at"] = row[2], row[3]
    if kind is NodeKind.CREDENTIAL:
        props["last_seen"] = row[4]
        props["transparency"] = row[5]
        props["stale"] = bool(row[6])
        if row[7] is not None:
            props.setdefault("source_id", row[7])
        return GraphNode(kind, row[0], props)
    return GraphNode(kind, row[0], props, stub=bool(row[4]))


def _columns(kind: NodeKind) -> str:
    if kind is NodeKind.CREDENTIAL:
        return (
            "n.id, d.doc, n.first_seen, n.updated_at, n.last_seen, n.transparency, n.stale, "
            "n.source_id"
        )
    return "n.id, n.doc, n.first_seen, n.updated_at, n.stub"


def _source(kind: NodeKind, table: str) -> str:
    """FROM clause: credentials keep their documents in credential_docs."""
    if kind is NodeKind.CREDENTIAL:
        return f"{table} n JOIN credential_docs d ON d.rowid = n.rowid"
    return f"{table} n"


def nodes_by_ids(conn: sqlite3.Connection, ids: Sequence[str]) -> list[GraphNode]:
    found: list[GraphNode] = []
    for kind, table in NODE_TABLES.items():
        for row in select_in(
            conn,
            f"SELECT {_columns(kind)} FROM {_source(kind, table)} WHERE n.id IN ({{ids}})",
            ids,
        ):
            found.append(_node(kind, row))
    return found


def _edge(row: Sequence[Any]) -> GraphEdge:
    return GraphEdge(EdgeType(row[1]), row[0], row[2], json.loads(row[3]) if row[3] else {})


class Walk(Protocol):
    def step(self, conn: sqlite3.Connection) -> list[GraphItem] | None:
        """The next items, possibly none; None once the walk is over."""


class Neighbourhood:
    """The subgraph induced by the nodes within `depth` hops of `seeds`, one bounded step at a
    time: the seeds first, then up to CHUNK nodes of the current layer per step. Each step
    is a short read on whichever connection runs it, so a walk over a big graph never holds
    one connection (or one read transaction) for its whole length.

    An edge is emitted once: when its far end is new (found in this layer, by this step or an
    earlier one), or, if both ends are in the current layer, from its source side.
    """

    def __init__(self, seeds: Sequence[str], depth: int) -> None:
        self.seeds = list(dict.fromkeys(seeds))
        self.depth = depth
        self.started = False
        self.layer = 0
        self.frontier: list[str] = []
        self.position = 0  # frontier[:position] have been walked
        self.current: set[str] = set()
        self.visited: set[str] = set()
        self.fresh: list[str] = []  # found in this layer, in order: the next frontier
        self.fresh_set: set[str] = set()

    def step(self, conn: sqlite3.Connection) -> list[GraphItem] | None:
        """The next items, possibly none; None once the walk is over."""
        if not self.started:
            self.started = True
            seeds = nodes_by_ids(conn, self.seeds)
            self._enter_layer([n.id for n in seeds])
            self.visited.update(self.frontier)
            return list(seeds)
        if self.position >= len(self.frontier):
            if self.layer >= self.depth or not self.fresh:
                return None
            self.layer += 1
            self._enter_layer(self.fresh)
        chunk = self.frontier[self.position : self.position + CHUNK]
        self.position += len(chunk)
        return self._walk(conn, chunk)

    def _enter_layer(self, ids: list[str]) -> None:
        self.frontier, self.position, self.current = ids, 0, set(ids)
        self.fresh, self.fresh_set = [], set()

    def _walk(self, conn: sqlite3.Connection, chunk: Sequence[str]) -> list[GraphItem]:
        items: list[GraphItem] = []
        outgoing = select_in(
            conn, "SELECT src, type, dst, props FROM edges WHERE src IN ({ids})", chunk
        )
        incoming: list[Any] = []
        if self.layer < self.depth:  # at the last layer every edge inside it is outgoing
            incoming = select_in(
                conn, "SELECT src, type, dst, props FROM edges WHERE dst IN ({ids})", chunk
            )
            far = [r[2] for r in outgoing if r[2] not in self.visited] + [
                r[0] for r in incoming if r[0] not in self.visited
            ]
            found = nodes_by_ids(conn, list(dict.fromkeys(far)))
            for node in found:
                self.visited.add(node.id)
                self.fresh.append(node.id)
                self.fresh_set.add(node.id)
            items += found
        items += [_edge(r) for r in outgoing if r[2] in self.current or r[2] in self.fresh_set]
        items += [_edge(r) for r in incoming if r[0] in self.fresh_set]
        return items


class GraphScan:
    """Every node, kind by kind in rowid order, then every edge in key order: one batch per
    step, each resuming from a key, so no step holds a connection between batches."""

    def __init__(self) -> None:
        self.kinds = list(NODE_TABLES.items())
        self.kind_index = 0
        self.last_rowid = 0
        self.edge_key: tuple[str, str, str] = ("", "", "")

    def step(self, conn: sqlite3.Connection) -> list[GraphItem] | None:
        """The next batch, possibly empty; None once everything was read."""
        while self.kind_index < len(self.kinds):
            kind, table = self.kinds[self.kind_index]
            rows = conn.execute(
                f"SELECT n.rowid, {_columns(kind)} FROM {_source(kind, table)} "
                f"WHERE n.rowid > ? ORDER BY n.rowid LIMIT ?",
                (self.last_rowid, BATCH),
            ).fetchall()
            if rows:
                self.last_rowid = rows[-1][0]
                return [_node(kind, row[1:]) for row in rows]
            self.kind_index, self.last_rowid = self.kind_index + 1, 0
        rows = conn.execute(
            "SELECT src, type, dst, props FROM edges WHERE (src, type, dst) > (?, ?, ?) "
            "ORDER BY src, type, dst LIMIT ?",
            (*self.edge_key, BATCH * 5),
        ).fetchall()
        if not rows:
            return None
        self.edge_key = (rows[-1][0], rows[-1][1], rows[-1][2])
        maybe = [r for r in rows if EdgeType(r[1]) in _MAY_DANGLE]
        present = {n.id for n in nodes_by_ids(conn, [x for r in maybe for x in (r[0], r[2])])}
        return [
            _edge(row)
            for row in rows
            if EdgeType(row[1]) not in _MAY_DANGLE or (row[0] in present and row[2] in present)
        ]
