"""Writing and replacing the edges records own, including links to nodes not stored yet.

Every statement is built from enum values only; ids, properties and owners are parameters.
One statement per (relationship type, source label, target label), each an `UNWIND $rows`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from credgraph.model.values import EdgeType, NodeKind
from credgraph.store.mapping import EdgeRow
from credgraph.store.neo4j.common import REF, REF_KINDS, chunks, label, rel_type, rel_types
from credgraph.store.neo4j.equated import mark

# The kinds at each end of each edge type (ACCREDITED_BY starts at its owner's kind).
_ENDS: dict[EdgeType, tuple[NodeKind | None, NodeKind]] = {
    EdgeType.ISSUED_BY: (NodeKind.CREDENTIAL, NodeKind.ISSUER),
    EdgeType.TEACHES: (NodeKind.CREDENTIAL, NodeKind.SKILL),
    EdgeType.ASSESSES: (NodeKind.CREDENTIAL, NodeKind.SKILL),
    EdgeType.PREPARES_FOR: (NodeKind.CREDENTIAL, NodeKind.OCCUPATION),
    EdgeType.PART_OF: (NodeKind.CREDENTIAL, NodeKind.CREDENTIAL),
    EdgeType.REQUIRES: (NodeKind.CREDENTIAL, NodeKind.CREDENTIAL),
    EdgeType.PREPARES_FOR_CREDENTIAL: (NodeKind.CREDENTIAL, NodeKind.CREDENTIAL),
    EdgeType.ADVANCED_STANDING: (NodeKind.CREDENTIAL, NodeKind.CREDENTIAL),
    EdgeType.PUBLISHED_PATHWAY: (NodeKind.CREDENTIAL, NodeKind.CREDENTIAL),
    EdgeType.REQUIRES_SKILL: (NodeKind.OCCUPATION, NodeKind.SKILL),
    EdgeType.SAME_AS: (NodeKind.SKILL, NodeKind.SKILL),
    EdgeType.BROADER: (NodeKind.SKILL, NodeKind.SKILL),
    EdgeType.ACCREDITED_BY: (None, NodeKind.ISSUER),
}

# Edge types whose far end may not be stored yet.
MAY_DANGLE = frozenset(
    {
        EdgeType.PART_OF,
        EdgeType.REQUIRES,
        EdgeType.BROADER,
        EdgeType.SAME_AS,
        EdgeType.PREPARES_FOR_CREDENTIAL,
        EdgeType.ADVANCED_STANDING,
        EdgeType.PUBLISHED_PATHWAY,
    }
)

# Edge types each kind of record declares (and so replaces when it changes).
OWNED_TYPES: dict[NodeKind, tuple[EdgeType, ...]] = {
    NodeKind.CREDENTIAL: (
        EdgeType.ISSUED_BY,
        EdgeType.TEACHES,
        EdgeType.ASSESSES,
        EdgeType.PREPARES_FOR,
        EdgeType.PART_OF,
        EdgeType.REQUIRES,
        EdgeType.ACCREDITED_BY,
        EdgeType.PREPARES_FOR_CREDENTIAL,
        EdgeType.ADVANCED_STANDING,
    ),
    NodeKind.ISSUER: (EdgeType.ACCREDITED_BY,),
    NodeKind.SKILL: (EdgeType.BROADER, EdgeType.SAME_AS),
    NodeKind.OCCUPATION: (),
}


@dataclass(frozen=True, slots=True)
class Link:
    """An edge row with the kind of record that owns it."""

    row: EdgeRow
    owner_kind: NodeKind

    def ends(self) -> tuple[NodeKind, NodeKind]:
        source, target = _ENDS[self.row.type]
        return (source or self.owner_kind), target


async def run(tx: AsyncManagedTransaction, query: str, **params: Any) -> list[Any]:
    result = await tx.run(query, params)
    return [record async for record in result]


async def unwind(tx: AsyncManagedTransaction, query: str, rows: Sequence[Any]) -> None:
    """Run an `UNWIND $rows` statement over `rows` in chunks (same transaction)."""
    for part in chunks(rows):
        result = await tx.run(query, {"rows": list(part)})
        await result.consume()


async def present_ids(tx: AsyncManagedTransaction, kind: NodeKind, ids: Iterable[str]) -> set[str]:
    unique = list(dict.fromkeys(ids))
    found: set[str] = set()
    query = f"UNWIND $rows AS id MATCH (n:{label(kind)} {{id: id}}) RETURN collect(n.id) AS ids"
    for part in chunks(unique):
        [record] = await run(tx, query, rows=list(part))
        found.update(record["ids"])
    return found


async def any_refs(tx: AsyncManagedTransaction) -> bool:
    [record] = await run(tx, f"MATCH (r:{REF}) RETURN count(r) AS n")
    return bool(record["n"])


async def adopt_refs(tx: AsyncManagedTransaction, kind: NodeKind, ids: Sequence[str]) -> set[str]:
    """Turn placeholders for `ids` into nodes of `kind`, keeping the links made to them.
    Returns the ids that had a placeholder."""
    adopted: set[str] = set()
    if kind not in REF_KINDS or not ids:
        return adopted
    query = (
        f"UNWIND $rows AS id MATCH (r:{REF} {{ref_kind: '{kind.value}', id: id}}) "
        f"REMOVE r:{REF}, r.ref_kind SET r:{label(kind)} RETURN collect(r.id) AS ids"
    )
    for part in chunks(list(ids)):
        [record] = await run(tx, query, rows=list(part))
        adopted.update(record["ids"])
    return adopted


async def delete_owned(tx: AsyncManagedTransaction, kind: NodeKind, ids: Sequence[str]) -> None:
    """Delete the edges of the kinds `kind` declares that these records own (both directions),
    and placeholders left without any link."""
    types = OWNED_TYPES[kind]
    if not types or not ids:
        return
    await unwind(
        tx,
        f"UNWIND $rows AS id MATCH (n:{label(kind)} {{id: id}})-[r:{rel_types(types)}]-(x) "
        "WHERE CASE WHEN r.owner IS NULL THEN startNode(r) = n ELSE r.owner = id END "
        f"DELETE r WITH DISTINCT x WHERE x:{REF} AND NOT EXISTS {{ (x)--() }} DELETE x",
        list(ids),
    )


def edge_props(row: EdgeRow) -> dict[str, Any]:
    """Stored relationship properties: the mapping's, plus `owner` when the owner is not the
    source node (an edge without `owner` belongs to the record at its start)."""
    props: dict[str, Any] = json.loads(row.props) if row.props else {}
    if row.owner != row.source:
        props["owner"] = row.owner
    return props


def _pattern(var: str, kind: NodeKind, ref: bool, key: str) -> str:
    if ref:
        return f"({var}:{REF} {{ref_kind: '{kind.value}', id: {key}}})"
    return f"({var}:{label(kind)} {{id: {key}}})"


def _hint(edge_type: EdgeType) -> str:
    """What a statement writing `edge_type` adds after its MERGE: SAME_AS labels both ends
    `Equated` (see equated.py), placeholders included (the label survives their adoption)."""
    return f" {mark('a', 'b')}" if edge_type is EdgeType.SAME_AS else ""


_Group = tuple[EdgeType, NodeKind, bool, NodeKind, bool]
_PlainGroup = tuple[EdgeType, NodeKind, bool, NodeKind, bool, bool]


Fresh = set[tuple[NodeKind, str]]


async def write_links(
    tx: AsyncManagedTransaction,
    links: Iterable[Link],
    *,
    fresh: Fresh = frozenset(),  # type: ignore[assignment]
    replace_props: bool = False,
) -> None:
    """Create every link that does not exist yet; an existing one keeps its owner and
    properties unless `replace_props`. An end that is not stored (and not the owner) becomes
    a placeholder. Within a batch the first declaration of an edge wins.

    `fresh` names nodes created in this transaction (not adopted placeholders): they cannot
    have edges yet, so theirs are CREATEd without MERGE's existence check."""
    unique: dict[tuple[EdgeType, str, str], Link] = {}
    for link in links:
        unique.setdefault((link.row.type, link.row.source, link.row.target), link)
    if not unique:
        return
    # Ends other than the owner, of kinds and types that may dangle: which are stored?
    wanted: dict[NodeKind, set[str]] = defaultdict(set)
    for link in unique.values():
        if link.row.type not in MAY_DANGLE:
            continue
        source_kind, target_kind = link.ends()
        for kind, node_id in ((source_kind, link.row.source), (target_kind, link.row.target)):
            if kind in REF_KINDS and node_id != link.row.owner:
                wanted[kind].add(node_id)
    missing: dict[NodeKind, set[str]] = {}
    for kind, ids in wanted.items():
        missing[kind] = ids - await present_ids(tx, kind, ids)
        if missing[kind]:
            await unwind(
                tx,
                f"UNWIND $rows AS id MERGE (:{REF} {{ref_kind: '{kind.value}', id: id}})",
                sorted(missing[kind]),
            )
    # Plain edges (no properties) travel as [source, [target, ...]]; others one by one.
    plain: dict[_PlainGroup, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    detailed: dict[_Group, list[list[Any]]] = defaultdict(list)
    for link in unique.values():
        source_kind, target_kind = link.ends()
        source_ref = link.row.source in missing.get(source_kind, ())
        target_ref = link.row.target in missing.get(target_kind, ())
        key = (link.row.type, source_kind, source_ref, target_kind, target_ref)
        props = edge_props(link.row)
        if props or replace_props:
            detailed[key].append([link.row.source, link.row.target, props])
        else:
            create = not source_ref and (source_kind, link.row.source) in fresh
            plain[(*key, create)][link.row.source].append(link.row.target)
    for (edge_type, sk, sref, tk, tref, create), by_source in plain.items():
        query = (
            f"UNWIND $rows AS row MATCH {_pattern('a', sk, sref, 'row[0]')} "
            f"UNWIND row[1] AS t MATCH {_pattern('b', tk, tref, 't')} "
            f"{'CREATE' if create else 'MERGE'} (a)-[:{rel_type(edge_type)}]->(b)"
            f"{_hint(edge_type)}"
        )
        await unwind(tx, query, [[source, targets] for source, targets in by_source.items()])
    for (edge_type, sk, sref, tk, tref), rows in detailed.items():
        query = (
            f"UNWIND $rows AS row MATCH {_pattern('a', sk, sref, 'row[0]')} "
            f"MATCH {_pattern('b', tk, tref, 'row[1]')} "
            f"MERGE (a)-[r:{rel_type(edge_type)}]->(b) "
            + ("SET r = row[2]" if replace_props else "ON CREATE SET r = row[2]")
            + _hint(edge_type)
        )
        await unwind(tx, query, rows)
