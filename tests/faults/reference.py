"""A store's graph as comparable data, to check that a run after a fault lost nothing.

"Nothing lost" means more than equal counts: the same node ids of each kind, the same
relationships, and the same key properties as a reference crawl of the same catalog with no
fault. Left out: timestamps (first_seen, updated_at, last_seen), which differ between any
two crawls, and how a mention was linked (an edge's method and confidence): a crawl links
mentions to the taxonomy nodes the store holds when it starts, so a page crawled again into a
store that already has its skills says "exact-uri" where the first crawl said "unresolved",
with the same ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from credgraph.model.views import GraphEdge, GraphNode
from credgraph.store import GraphStore

TIMESTAMPS = frozenset({"first_seen", "updated_at", "last_seen"})
LINK_PROVENANCE = frozenset({"method", "confidence"})


def _frozen(properties: dict[str, Any], left_out: frozenset[str]) -> frozenset[tuple[str, str]]:
    # repr: property values may be lists, which do not hash.
    return frozenset((k, repr(v)) for k, v in properties.items() if k not in left_out)


Edge = tuple[str, str, str, frozenset[tuple[str, str]]]  # type, start id, end id, properties


@dataclass(frozen=True)
class GraphSnapshot:
    nodes: dict[str, dict[str, frozenset[tuple[str, str]]]]  # kind -> id -> key properties
    edges: frozenset[Edge]

    def ids(self, kind: str) -> set[str]:
        return set(self.nodes.get(kind, {}))

    def lacks(self, reference: GraphSnapshot) -> list[str]:
        """What of `reference` this graph lost or changed; what it has beyond it is allowed."""
        return self.differences(reference, extra=False)

    def differences(self, reference: GraphSnapshot, *, extra: bool = True) -> list[str]:
        """What this graph lost, changed or (with `extra`) added against `reference`, one line
        each, the first 30."""
        lines = []
        for kind in sorted(set(self.nodes) | set(reference.nodes)):
            mine, theirs = self.nodes.get(kind, {}), reference.nodes.get(kind, {})
            for node_id in sorted(set(mine) | set(theirs)):
                if node_id not in mine:
                    lines.append(f"{kind} lost: {node_id}")
                elif node_id not in theirs:
                    lines += [f"{kind} extra: {node_id}"] if extra else []
                elif mine[node_id] != theirs[node_id]:
                    lines.append(
                        f"{kind} changed: {node_id}: {sorted(mine[node_id] ^ theirs[node_id])}"
                    )
        mine_edges, their_edges = _by_ends(self.edges), _by_ends(reference.edges)
        for ends in sorted(set(mine_edges) | set(their_edges)):
            if ends not in mine_edges:
                lines.append(f"edge lost: {ends}")
            elif ends not in their_edges:
                lines += [f"edge extra: {ends}"] if extra else []
            elif mine_edges[ends] != their_edges[ends]:
                lines.append(f"edge changed: {ends}: {sorted(mine_edges[ends])} was "
                             f"{sorted(their_edges[ends])}")  # fmt: skip
        return lines[:30]


def _by_ends(edges: frozenset[Edge]) -> dict[tuple[str, str, str], frozenset[tuple[str, str]]]:
    return {(t, s, e): p for t, s, e, p in edges}


async def snapshot(store: GraphStore) -> GraphSnapshot:
    nodes: dict[str, dict[str, frozenset[tuple[str, str]]]] = {}
    edges: set[Edge] = set()
    async for item in store.iter_graph():
        if isinstance(item, GraphNode):
            nodes.setdefault(item.kind.value, {})[item.id] = _frozen(item.properties, TIMESTAMPS)
        elif isinstance(item, GraphEdge):
            edges.add(
                (
                    item.type.value,
                    item.source,
                    item.target,
                    _frozen(item.properties, LINK_PROVENANCE),
                )
            )
    return GraphSnapshot(nodes, frozenset(edges))
