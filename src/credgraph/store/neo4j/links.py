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

# The kinds at each end of each edge type (ACCREDITED_BY starts at its owner's kind).
_ENDS: dict[EdgeType, tuple[NodeKind | None, NodeKind]] = {
    EdgeType.ISSUED_BY: (NodeKind.CREDENTIAL, NodeKind.ISSUER),
    EdgeType.TEACHES: (NodeKind.CREDENTIAL, NodeKind.SKILL),
    EdgeType.ASSESSES: (NodeKind.CREDENTIAL, NodeKind.SKILL),
    EdgeType.PREPARES_FOR: (NodeKind.CREDENTIAL, NodeKind.OCCUPATION),
    EdgeType.PART_OF: (NodeKind.CREDENTIAL, NodeKind.CREDENTIAL),
    EdgeType.REQUIRES: (NodeKind.CREDENTIAL, NodeKind.CREDENTIAL),
    EdgeType.REQUIRES_SKILL: (NodeKind.OCCUPATION, NodeKind.SKILL),
    EdgeType.SAME_AS: (NodeKind.SKILL, NodeKind.SKILL),
    EdgeType.BROADER: (NodeKind.SKILL, NodeKind.SKILL),
    EdgeType.ACCREDITED_BY: (None, NodeKind.ISSUER),
}

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
    query = f"UNWIND $rows AS id MATCH (n:{label(kind)} {{id: id}}) RETURN n.id AS id"
    for part in chunks(unique):
        found.update(r["id"] for r in await run(tx, query, rows=list(part)))
    return found


async def any_refs(tx: AsyncManagedTransaction) -> bool:
    [record] = await run(tx, f"MATCH (r:{REF}) RETURN count(r) AS n")
    return bool(record["n"])


async def adopt_refs(tx: AsyncManagedTransaction, kind: NodeKind, ids: Sequence[str]) -> None:
    """Turn placeholders for `ids` into nodes of `kind`, keeping the links made to them."""
    if kind not in REF_KINDS or not ids:
        return
    await unwind(
        tx,
        f"UNWIND $rows AS id MATCH (r:{REF} {{ref_kind: '{kind.value}', id: id}}) "
        f"REMOVE r:{REF}, r.ref_kind SET r:{label(kind)}",
        list(ids),
    )


async def delete_owned(tx: AsyncManagedTransaction, kind: NodeKind, ids: Sequence[str]) -> None:
    """Delete the edges of the kinds `kind` declares that these records own (both directions),
    and placeholders left without any link."""
    types = OWNED_TYPES[kind]
    if not types or not ids:
        return
    await unwind(
        tx,
        f"UNWIND $rows AS id MATCH (n:{label(kind)} {{id: id}})-[r:{rel_types(types)}]-(x) "
        f"WHERE r.owner = id DELETE r "
        f"WITH DISTINCT x WHERE x:{REF} AND NOT EXISTS {{ (x)--() }} DELETE x",
        list(ids),
    )


def _props(row: EdgeRow) -> dict[str, Any]:
    props: dict[str, Any] = json.loads(row.props) if row.props else {}
    props["owner"] = row.owner
    return props


def _pattern(var: str, kind: NodeKind, ref: bool, key: str) -> str:
    if ref:
        return f"({var}:{REF} {{ref_kind: '{kind.value}', id: row.{key}}})"
    return f"({var}:{label(kind)} {{id: row.{key}}})"


async def write_links(tx: AsyncManagedTransaction, links: Iterable[Link]) -> None:
    """MERGE every link; an end that is not stored (and not the owner) becomes a placeholder."""
    unique: dict[tuple[EdgeType, str, str], Link] = {}
    for link in links:
        unique[(link.row.type, link.row.source, link.row.target)] = link
    if not unique:
        return
    # Ends other than the owner, of kinds that may be missing: which are stored?
    wanted: dict[NodeKind, set[str]] = defaultdict(set)
    for link in unique.values():
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
    groups: dict[tuple[EdgeType, NodeKind, bool, NodeKind, bool], list[dict[str, Any]]] = (
        defaultdict(list)
    )
    for link in unique.values():
        source_kind, target_kind = link.ends()
        source_ref = link.row.source in missing.get(source_kind, ())
        target_ref = link.row.target in missing.get(target_kind, ())
        key = (link.row.type, source_kind, source_ref, target_kind, target_ref)
        groups[key].append({"s": link.row.source, "t": link.row.target, "p": _props(link.row)})
    for (edge_type, sk, sref, tk, tref), rows in groups.items():
        query = (
            f"UNWIND $rows AS row MATCH {_pattern('a', sk, sref, 's')} "
            f"MATCH {_pattern('b', tk, tref, 't')} "
            f"MERGE (a)-[r:{rel_type(edge_type)}]->(b) SET r = row.p"
        )
        await unwind(tx, query, rows)
