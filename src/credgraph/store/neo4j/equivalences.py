"""Crosswalk equivalences in Neo4j: SAME_AS relationships whose `owner` property names the
crosswalk (a relationship without `owner` belongs to the node it starts at, see links.py).

Labels come from our enums only; ids, owners and codes are parameters.
"""

from __future__ import annotations

from collections.abc import Sequence

from neo4j import AsyncManagedTransaction

from credgraph.model.records import Equivalence
from credgraph.model.values import NodeKind
from credgraph.model.views import UpsertReport
from credgraph.store.equivalence import Key, ends_by_kind, storable
from credgraph.store.neo4j.common import chunks, label
from credgraph.store.neo4j.links import present_ids, run
from credgraph.store.neo4j.reads import Read

KINDS = (NodeKind.SKILL, NodeKind.OCCUPATION)


async def replace(
    tx: AsyncManagedTransaction, owner: str, pairs: Sequence[Equivalence]
) -> UpsertReport:
    known = {kind: await present_ids(tx, kind, ids) for kind, ids in ends_by_kind(pairs).items()}
    wanted, rejected = storable(pairs, known)
    current: set[Key] = set()
    for kind in KINDS:
        rows = await run(
            tx,
            f"MATCH (a:{label(kind)})-[r:SAME_AS]->(b:{label(kind)}) WHERE r.owner = $owner "
            "RETURN a.id AS a, b.id AS b",
            owner=owner,
        )
        current.update((kind, row["a"], row["b"]) for row in rows)
    gone = sorted(current - wanted.keys())
    new = [key for key in wanted if key not in current]
    created = 0
    for kind in KINDS:
        node = label(kind)
        mine = [[a, b] for (k, a, b) in gone if k is kind]
        for part in chunks(mine):
            result = await tx.run(
                f"UNWIND $rows AS row MATCH (a:{node} {{id: row[0]}})-[r:SAME_AS]->"
                f"(b:{node} {{id: row[1]}}) WHERE r.owner = $owner DELETE r",
                {"rows": list(part), "owner": owner},
            )
            await result.consume()
        adding = [[a, b] for (k, a, b) in new if k is kind]
        for part in chunks(adding):
            # MERGE: a pair an edge already joins (a skill's own same_as) adds nothing.
            result = await tx.run(
                f"UNWIND $rows AS row MATCH (a:{node} {{id: row[0]}}) "
                f"MATCH (b:{node} {{id: row[1]}}) "
                "MERGE (a)-[r:SAME_AS]->(b) ON CREATE SET r.owner = $owner",
                {"rows": list(part), "owner": owner},
            )
            summary = await result.consume()
            created += summary.counters.relationships_created
    return UpsertReport(
        created=created,
        unchanged=len(wanted) - created,
        rejected=tuple(rejected),
        deleted=len(gone),
    )


async def equivalents_many(read: Read, ids: Sequence[str]) -> dict[str, list[str]]:
    found: dict[str, set[str]] = {i: set() for i in ids}
    for kind in KINDS:
        node = label(kind)
        for part in chunks(list(found)):
            rows = await read(
                f"UNWIND $ids AS id MATCH (n:{node} {{id: id}})-[:SAME_AS]-(m:{node}) "
                "RETURN id, collect(DISTINCT m.id) AS others",
                ids=list(part),
            )
            for row in rows:
                found[row["id"]].update(row["others"])
    return {i: sorted(others) for i, others in found.items()}


async def pairs(read: Read) -> list[tuple[NodeKind, str, str]]:
    found: list[tuple[NodeKind, str, str]] = []
    for kind in KINDS:
        node = label(kind)
        rows = await read(
            f"MATCH (a:{node})-[:SAME_AS]->(b:{node}) RETURN a.id AS a, b.id AS b "
            "ORDER BY a, b"
        )
        found.extend((kind, row["a"], row["b"]) for row in rows)
    return found


async def occupation_ids_by_code(
    read: Read, framework: str, codes: Sequence[str]
) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in chunks(list(dict.fromkeys(codes))):
        rows = await read(
            f"UNWIND $codes AS code MATCH (o:{label(NodeKind.OCCUPATION)} {{code: code}}) "
            "WHERE o.framework = $framework RETURN code, o.id AS id ORDER BY id",
            codes=list(part),
            framework=framework,
        )
        for row in rows:
            found.setdefault(row["code"], []).append(row["id"])
    return found
