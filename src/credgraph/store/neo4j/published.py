"""Published pathways on Neo4j: a `Pathway` node per pathway (its record as JSON, and the ids
of the credentials it names), and PUBLISHED_PATHWAY relationships between those credentials
owned by the pathway (`owner`), so re-crawling it replaces exactly its own steps. A credential
not stored yet is a placeholder until it arrives, as for every other link."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from neo4j import AsyncManagedTransaction

from credgraph.model import codec
from credgraph.model.pathway import PublishedPathway
from credgraph.model.values import EdgeType, NodeKind
from credgraph.store.mapping import EdgeRow, document
from credgraph.store.neo4j.common import PATHWAY, REF
from credgraph.store.neo4j.links import Link, run, write_links

Read = Callable[..., Awaitable[list[Any]]]


async def upsert_pathways(
    tx: AsyncManagedTransaction, pathways: Sequence[PublishedPathway], now: str
) -> tuple[int, int, int]:
    ids = [p.id for p in pathways]
    stored = {
        r["id"]: r["hash"]
        for r in await run(
            tx,
            f"UNWIND $ids AS id MATCH (p:{PATHWAY} {{id: id}}) RETURN p.id AS id, "
            "p.content_hash AS hash",
            ids=ids,
        )
    }
    created = updated = unchanged = 0
    links: list[Link] = []
    for p in pathways:
        _, digest = document(p)
        if stored.get(p.id) == digest:
            unchanged += 1
            continue
        created, updated = (created, updated + 1) if p.id in stored else (created + 1, updated)
        await run(
            tx,
            f"MERGE (p:{PATHWAY} {{id: $id}}) SET p.name = $name, p.content_hash = $hash, "
            "p.updated_at = $now, p.doc = $doc, p.credential_ids = $members",
            id=p.id,
            name=p.name,
            hash=digest,
            now=now,
            doc=codec.dumps(p),
            members=list(p.credentials()),
        )
        # its old steps, and placeholders they alone held
        await run(
            tx,
            "MATCH (a)-[r:PUBLISHED_PATHWAY {owner: $id}]->(b) DELETE r "
            "WITH collect(DISTINCT a) + collect(DISTINCT b) AS ends UNWIND ends AS x "
            f"WITH DISTINCT x WHERE x:{REF} AND NOT EXISTS {{ (x)--() }} DELETE x",
            id=p.id,
        )
        props = json.dumps({"pathway": p.id})
        links += [
            Link(EdgeRow(EdgeType.PUBLISHED_PATHWAY, a, b, p.id, props), NodeKind.CREDENTIAL)
            for a, b in p.credential_steps()
        ]
    await write_links(tx, links)
    return created, updated, unchanged


async def pathways_of(read: Read, ids: Sequence[str]) -> dict[str, list[PublishedPathway]]:
    out: dict[str, list[PublishedPathway]] = {i: [] for i in ids if isinstance(i, str)}
    if not out:
        return out
    rows = await read(
        f"UNWIND $ids AS cid MATCH (p:{PATHWAY}) WHERE cid IN p.credential_ids "
        "RETURN cid, p.doc AS doc ORDER BY p.name, p.id",
        ids=list(out),
    )
    for row in rows:
        out[row["cid"]].append(codec.from_json(PublishedPathway, json.loads(row["doc"])))
    return out
