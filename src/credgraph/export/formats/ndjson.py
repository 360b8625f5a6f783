"""NDJSON: one JSON object per line, nodes and edges in stream order (a node before the edges
at it), for pipelines that read line by line:

    {"element": "node", "kind": "credential", "id": "...", "properties": {...}}
    {"element": "edge", "type": "TEACHES", "source": "...", "target": "...", "properties": {...}}
    {"element": "change", "credential": "...", "changed_at": "...", "changes": [{field, old, new}]}

Change lines (each exported credential's version history) come after every node and edge.
"""

from __future__ import annotations

import json

from credgraph.export.columns import EDGE_COLUMNS, NODE_PROPERTIES, edge_label, kind_name, typed
from credgraph.export.formats.base import Format
from credgraph.model.views import CredentialChange, GraphEdge, GraphNode


def _line(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode(
        "utf-8", "replace"
    )


class NDJson(Format):
    name = "ndjson"
    media_type = "application/x-ndjson"
    files = ("graph.ndjson",)
    changes_file = "graph.ndjson"  # change lines after the nodes and edges, same file

    def change(self, change: CredentialChange) -> bytes:
        return _change(change)

    def node(self, node: GraphNode) -> bytes:
        props = {
            c: v
            for c, t in NODE_PROPERTIES[node.kind].items()
            if (v := typed(node.properties.get(c), t)) is not None
        }
        return _line(
            {"element": "node", "kind": kind_name(node.kind), "id": node.id, "properties": props}
        )

    def edge(self, edge: GraphEdge) -> bytes:
        props = {
            c: v
            for c, t in EDGE_COLUMNS.items()
            if (v := typed(edge.properties.get(c), t)) is not None
        }
        return _line(
            {
                "element": "edge",
                "type": edge_label(edge.type),
                "source": edge.source,
                "target": edge.target,
                "properties": props,
            }
        )


def _change(change: CredentialChange) -> bytes:
    return _line(
        {
            "element": "change",
            "credential": change.credential_id,
            "changed_at": change.changed_at.isoformat(),
            "changes": [{"field": f.field, "old": f.old, "new": f.new} for f in change.changes],
        }
    )


class NodeLink(Format):
    """networkx's node-link JSON (`networkx.node_link_graph(data, edges="edges")`), as a
    directed multigraph: two credentials can be linked twice (ADVANCED_STANDING and
    PUBLISHED_PATHWAY), a credential can teach and assess one skill. Each edge's `key` is its
    type, unique between two nodes, so `G.edges[source, target, "TEACHES"]` finds it."""

    name = "nodelink"
    media_type = "application/json"
    files = ("graph.json",)
    nodes_first = True

    def __init__(self) -> None:
        self.first = True

    def _item(self, value: dict[str, object]) -> bytes:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        sep = "\n" if self.first else ",\n"
        self.first = False
        return (sep + text).encode("utf-8", "replace")

    def start(self) -> bytes:
        return b'{"directed":true,"multigraph":true,"graph":{"name":"credgraph"},"nodes":['

    def node(self, node: GraphNode) -> bytes:
        props = {
            c: v
            for c, t in NODE_PROPERTIES[node.kind].items()
            if (v := typed(node.properties.get(c), t)) is not None
        }
        return self._item({"id": node.id, "kind": kind_name(node.kind), **props})

    def between(self) -> bytes:
        self.first = True
        return b'\n],"edges":['

    def edge(self, edge: GraphEdge) -> bytes:
        props = {
            c: v
            for c, t in EDGE_COLUMNS.items()
            if (v := typed(edge.properties.get(c), t)) is not None
        }
        label = edge_label(edge.type)
        return self._item(
            {"source": edge.source, "target": edge.target, "key": label, "type": label, **props}
        )

    def end(self) -> bytes:
        return b"\n]}\n"
