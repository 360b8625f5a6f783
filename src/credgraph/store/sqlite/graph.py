"""Streaming the graph out of SQLite: neighbourhoods layer by layer, and the whole graph."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from credgraph.model.values import EdgeType, NodeKind
from credgraph.model.views import GraphEdge, GraphNode
from credgraph.store.mapping import flat_properties
from credgraph.store.sqlite.sql import NODE_TABLES, select_in

GraphItem = GraphNode | GraphEdge
BATCH = 2000
_MAY_DANGLE = {EdgeType.PART_OF, EdgeType.REQUIRES, EdgeType.BROADER, EdgeType.SAME_AS}


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


def _columns(kind: NodeKind) -> str:
    if kind is NodeKind.CREDENTIAL:
        return (
            "n.id, d.doc, n.first_seen, n.updated_at, n.last_seen, n.transparency, n.stale, "
            "n.source_id"
        )
    return "n.id, n.doc, n.first_seen, n.updated_at"


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


def neighbourhood(
    conn: sqlite3.Connection, seeds: Sequence[str], depth: int
) -> Iterator[GraphItem]:
    """Induced subgraph within `depth` hops. An edge is emitted once: when its far end is new,
    or, if both ends are in the current layer, from its source side."""
    frontier = nodes_by_ids(conn, list(dict.fromkeys(seeds)))
    visited = {n.id for n in frontier}
    yield from frontier
    layer = 0
    while frontier:
        ids = [n.id for n in frontier]
        current = set(ids)
        outgoing = select_in(
            conn, "SELECT src, type, dst, props FROM edges WHERE src IN ({ids})", ids
        )
        new_nodes: list[GraphNode] = []
        incoming: list[Any] = []
        if layer < depth:  # at the last layer every edge inside it is outgoing from one of it
            incoming = select_in(
                conn, "SELECT src, type, dst, props FROM edges WHERE dst IN ({ids})", ids
            )
            far = [r[2] for r in outgoing if r[2] not in visited] + [
                r[0] for r in incoming if r[0] not in visited
            ]
            new_nodes = nodes_by_ids(conn, list(dict.fromkeys(far)))
            visited.update(n.id for n in new_nodes)
            yield from new_nodes
        fresh = {n.id for n in new_nodes}
        for row in outgoing:
            if row[2] in current or row[2] in fresh:
                yield _edge(row)
        for row in incoming:
            if row[0] in fresh:
                yield _edge(row)
        frontier = new_nodes
        layer += 1


def iter_graph(conn: sqlite3.Connection) -> Iterator[GraphItem]:
    for kind, table in NODE_TABLES.items():
        last = 0
        while True:
            rows = conn.execute(
                f"SELECT n.rowid, {_columns(kind)} FROM {_source(kind, table)} "
                f"WHERE n.rowid > ? ORDER BY n.rowid LIMIT ?",
                (last, BATCH),
            ).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            for row in rows:
                yield _node(kind, row[1:])
    key: tuple[str, str, str] = ("", "", "")
    while True:
        rows = conn.execute(
            "SELECT src, type, dst, props FROM edges WHERE (src, type, dst) > (?, ?, ?) "
            "ORDER BY src, type, dst LIMIT ?",
            (*key, BATCH * 5),
        ).fetchall()
        if not rows:
            break
        key = (rows[-1][0], rows[-1][1], rows[-1][2])
        maybe = [r for r in rows if EdgeType(r[1]) in _MAY_DANGLE]
        present = {n.id for n in nodes_by_ids(conn, [x for r in maybe for x in (r[0], r[2])])}
        for row in rows:
            if EdgeType(row[1]) not in _MAY_DANGLE or (row[0] in present and row[2] in present):
                yield _edge(row)
