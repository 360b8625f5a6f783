"""Graph streaming (neighbourhood, whole graph) and counts.

Only the domain graph is visible here: nodes labelled Issuer, Credential, Skill or Occupation
and the relationship types of `GRAPH_EDGES` between them. Link placeholders (Ref), sources,
crawl runs and version nodes never appear.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

from credgraph.errors import InvalidQuery
from credgraph.model.values import EdgeType, NodeKind
from credgraph.model.views import GraphEdge, GraphNode, GraphStats
from credgraph.store.mapping import flat_properties
from credgraph.store.neo4j.common import (
    GRAPH_EDGES,
    GRAPH_KINDS,
    GRAPH_REL_PATTERN,
    REF,
    chunks,
    graph_node_predicate,
    kind_of,
    label,
    rel_type,
    rel_types,
)
from credgraph.store.neo4j.links import OWNED_TYPES
from credgraph.store.neo4j.reads import Read

BATCH = 1000

# Relationship types by the kind of node they start at.
_OUTGOING: dict[NodeKind, tuple[EdgeType, ...]] = {
    NodeKind.ISSUER: (EdgeType.ACCREDITED_BY,),
    # A published pathway's links run between credentials but belong to the pathway record.
    NodeKind.CREDENTIAL: (*OWNED_TYPES[NodeKind.CREDENTIAL], EdgeType.PUBLISHED_PATHWAY),
    NodeKind.SKILL: (EdgeType.BROADER, EdgeType.SAME_AS),
    NodeKind.OCCUPATION: (EdgeType.REQUIRES_SKILL, EdgeType.SAME_AS),
}

# A node `n` as one list; a statement returns every node as one record holding them all
# (`_nodes`): the driver reads each record with its own socket reads, so a record per node
# was most of a neighbourhood's time (4,200 reads for one issuer's 2-hop neighbourhood).
_NODE_FIELDS = (
    "eid", "labels", "id", "doc", "first_seen", "updated_at", "last_seen", "transparency",
    "stale", "source_id", "stub",
)  # fmt: skip
_NODE_LIST = (
    "[elementId(n), labels(n), n.id, n.doc, n.first_seen, n.updated_at, n.last_seen, "
    "n.transparency, n.stale, n.source_id, coalesce(n.stub, false)]"
)
_EDGE_LIST = "[elementId(r), type(r), properties(r), startNode(r).id, endNode(r).id]"


async def _nodes(read: Read, match: str, **params: Any) -> list[dict[str, Any]]:
    """The nodes `match` binds to `n`, in its order, read as one record."""
    [row] = await read(f"{match} RETURN collect({_NODE_LIST}) AS nodes", **params)
    return [dict(zip(_NODE_FIELDS, node, strict=True)) for node in row["nodes"]]


def _node(row: Any) -> GraphNode | None:
    kind = kind_of(row["labels"])
    if kind is None:
        return None
    properties = flat_properties(json.loads(row["doc"])) if row["doc"] else {}
    properties["first_seen"], properties["updated_at"] = row["first_seen"], row["updated_at"]
    if kind is NodeKind.CREDENTIAL:
        properties["last_seen"] = row["last_seen"]
        if row["source_id"] is not None:
            properties.setdefault("source_id", row["source_id"])
        properties["transparency"] = row["transparency"]
        properties["stale"] = bool(row["stale"])
    return GraphNode(kind, row["id"], properties, stub=bool(row["stub"]))


def _edge(edge_type: str, source: str, target: str, props: dict[str, Any]) -> GraphEdge:
    return GraphEdge(
        EdgeType(edge_type), source, target, {k: v for k, v in props.items() if k != "owner"}
    )


async def neighbourhood(
    read: Read, seeds: Sequence[str], depth: int
) -> AsyncIterator[GraphNode | GraphEdge]:
    """Breadth-first, one layer at a time: the layer's nodes, then every edge between a layer
    node and a node already streamed (so each edge once, after both of its nodes); the next
    layer is the layer's neighbours not streamed yet, read in the same statement as the edges
    (`_expand`): a 2-hop neighbourhood is four statements."""
    if not isinstance(depth, int) or isinstance(depth, bool):
        raise InvalidQuery(f"depth {depth!r} must be a whole number")
    depth = max(depth, 0)
    ids = [s for s in dict.fromkeys(seeds) if isinstance(s, str)]
    if not ids:
        return
    seeds = " UNION ".join(
        f"UNWIND $ids AS id MATCH (n:{label(kind)} {{id: id}}) RETURN n" for kind in GRAPH_KINDS
    )
    layer = await _nodes(read, f"CALL {{ {seeds} }} WITH n", ids=ids)
    visited: set[str] = set()
    for level in range(depth + 1):
        fresh = [row for row in layer if row["eid"] not in visited]
        if not fresh:
            return
        visited.update(row["eid"] for row in fresh)
        for row in fresh:
            node = _node(row)
            if node is not None:
                yield node
        next_layer: dict[str, dict[str, Any]] = {}
        emitted: set[str] = set()
        inside = list(visited)
        for part in chunks([row["eid"] for row in fresh], BATCH):
            edges, nodes = await _expand(read, list(part), inside, more=level < depth)
            for rid, edge_type, props, source, target in edges:
                if rid not in emitted:
                    emitted.add(rid)
                    yield _edge(edge_type, source, target, props)
            next_layer.update((node["eid"], node) for node in nodes)
        if level == depth or not next_layer:
            return
        layer = [next_layer[eid] for eid in sorted(next_layer)]


async def _expand(
    read: Read, eids: list[str], inside: list[str], *, more: bool
) -> tuple[list[Any], list[dict[str, Any]]]:
    """The edges between the nodes `eids` name and those `inside`, and (when `more`) the
    domain nodes beyond them, from one expansion in one statement: a layer used to take a
    statement for its edges, another for its neighbours' ids and a third for their nodes."""
    match = (
        "UNWIND $eids AS eid MATCH (a) WHERE elementId(a) = eid "
        f"MATCH (a)-[r:{GRAPH_REL_PATTERN}]-(b) "
    )
    if not more:
        [row] = await read(
            f"{match} WHERE elementId(b) IN $inside RETURN collect({_EDGE_LIST}) AS edges",
            eids=eids,
            inside=inside,
        )
        return row["edges"], []
    [row] = await read(
        f"{match} WITH r, b, elementId(b) IN $inside AS known "
        f"WHERE known OR {graph_node_predicate('b')} "
        f"WITH collect(CASE WHEN known THEN {_EDGE_LIST} END) AS edges, "
        "collect(DISTINCT CASE WHEN NOT known THEN b END) AS beyond "
        f"RETURN edges, [n IN beyond | {_NODE_LIST}] AS nodes",
        eids=eids,
        inside=inside,
    )
    return row["edges"], [dict(zip(_NODE_FIELDS, node, strict=True)) for node in row["nodes"]]


async def iter_graph(read: Read) -> AsyncIterator[GraphNode | GraphEdge]:
    """Every node by kind, then every edge grouped by source node, keyset-paged on `id`."""
    for kind in GRAPH_KINDS:
        after = ""
        while True:
            rows = await _nodes(
                read,
                f"MATCH (n:{label(kind)}) WHERE n.id > $after WITH n ORDER BY n.id LIMIT $batch",
                after=after,
                batch=BATCH,
            )
            for row in rows:
                node = _node(row)
                if node is not None:
                    yield node
            if len(rows) < BATCH:
                break
            after = rows[-1]["id"]
    for kind in GRAPH_KINDS:
        types = _OUTGOING[kind]
        after = ""
        while True:
            # One record per source node with its edges collected: the driver's cost is per
            # record, and a credential has about ten edges (measured: about half the time).
            rows = await read(
                f"MATCH (a:{label(kind)}) WHERE a.id > $after "
                "WITH a ORDER BY a.id LIMIT $batch "
                f"OPTIONAL MATCH (a)-[r:{rel_types(types)}]->(b) "
                f"WHERE {graph_node_predicate('b')} "
                "WITH a, collect(CASE WHEN r IS NULL THEN null "
                "ELSE [type(r), b.id, properties(r)] END) AS out "
                "RETURN a.id AS source, out ORDER BY source",
                after=after,
                batch=BATCH,
            )
            for row in rows:
                for edge_type, target, props in sorted(row["out"], key=lambda e: (e[0], e[1])):
                    yield _edge(edge_type, row["source"], target, props)
            if len(rows) < BATCH:
                break
            after = rows[-1]["source"]


async def stats(read: Read) -> GraphStats:
    """One query of COUNT expressions without grouping keys, each answered from the count
    store (or the `stale` index): constant time whatever the graph size."""
    kinds = (*GRAPH_KINDS, NodeKind.SOURCE, NodeKind.CRAWL_RUN)
    columns = [f"COUNT {{ (:{label(kind)}) }} AS n{i}" for i, kind in enumerate(kinds)]
    for i, t in enumerate(GRAPH_EDGES):
        columns += [
            f"COUNT {{ ()-[:{rel_type(t)}]->() }} AS e{i}",
            f"COUNT {{ ()-[:{rel_type(t)}]->(:{REF}) }} AS rt{i}",
            f"COUNT {{ (:{REF})-[:{rel_type(t)}]->() }} AS rs{i}",
        ]
    columns.append("COUNT { MATCH (c:Credential) WHERE c.stale = true } AS stale")
    [row] = await read("RETURN " + ", ".join(columns))
    nodes = {kind: row[f"n{i}"] for i, kind in enumerate(kinds)}
    relationships = sum(
        row[f"e{i}"] - row[f"rt{i}"] - row[f"rs{i}"] for i in range(len(GRAPH_EDGES))
    )
    return GraphStats(
        issuers=nodes[NodeKind.ISSUER],
        credentials=nodes[NodeKind.CREDENTIAL],
        skills=nodes[NodeKind.SKILL],
        occupations=nodes[NodeKind.OCCUPATION],
        sources=nodes[NodeKind.SOURCE],
        crawl_runs=nodes[NodeKind.CRAWL_RUN],
        relationships=relationships,
        stale_credentials=row["stale"],
    )
