"""Job postings in the Neo4j store.

    (:JobPosting {id, title, title_key, url, valid_through, source_id, skill_count,
                  content_hash, doc, search_body, first_seen, last_seen, miss_count, stale})
    (:JobPosting)-[:POSTED_BY]->(:Issuer)
    (:JobPosting)-[:NEEDS_SKILL {method, confidence}]->(:Skill)
    (:JobPosting)-[:FOR_OCCUPATION {method, confidence}]->(:Occupation)
    (:JobPosting)-[:ASKS_FOR]->(:Credential)

The relationship types are not the credential graph's (`EdgeType`), so neighbourhoods,
exports and checks of that graph do not walk into postings. Labels and types below are our
constants; every value is a parameter. `valid_through` is ISO 8601 UTC, compared as text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from credgraph.model import codec
from credgraph.model.batches import last_per_id
from credgraph.model.ids import normalise_label
from credgraph.model.jobs import JobPosting, as_utc, validate_posting
from credgraph.model.records import Provenance
from credgraph.model.values import NodeKind
from credgraph.model.views import Page, RejectedRecord, StaleReport
from credgraph.store.equivalence import COMPUTED, STATED_SCORE
from credgraph.store.jobs import DemandCounts, PostingFilter, PostingView
from credgraph.store.mapping import document
from credgraph.store.neo4j.equated import EQUATED
from credgraph.store.neo4j.links import run, unwind
from credgraph.store.neo4j.reads import SKILL_LINK, Read
from credgraph.store.neo4j.schema import POSTING
from credgraph.store.neo4j.schema import POSTING_FULLTEXT as FULLTEXT
from credgraph.store.neo4j.text import lucene_query
from credgraph.store.neo4j.writes import create_mentioned
from credgraph.store.query import NAME_SORT, Cursor, check_page_size, name_cursor

_REL = {
    NodeKind.SKILL: "NEEDS_SKILL",
    NodeKind.OCCUPATION: "FOR_OCCUPATION",
    NodeKind.CREDENTIAL: "ASKS_FOR",
}
_ACTIVE = "NOT coalesce(p.stale, false) AND (p.valid_through IS NULL OR p.valid_through > $at)"


def stamp(at: datetime) -> str:
    return as_utc(at).isoformat(timespec="microseconds")


def _row(p: JobPosting, doc: str, digest: str) -> dict[str, Any]:
    body = " ".join(
        filter(
            None,
            [
                p.employer.name if p.employer else None,
                *(s.skill.name for s in p.skills),
                p.description,
            ],
        )
    )
    return {
        "id": p.id,
        "title": p.title,
        "title_key": normalise_label(p.title),
        "url": p.url,
        "valid_through": stamp(p.valid_through) if p.valid_through else None,
        "source_id": p.provenance.source_id if p.provenance else None,
        "skill_count": len(p.skills),
        "content_hash": digest,
        "doc": doc,
        "search_body": body[:20_000],
        "provenance": codec.dumps(p.provenance) if p.provenance else None,
        "employer_id": p.employer.id if p.employer else None,
        "skills": [
            {"id": s.skill.id, "method": s.method, "confidence": s.confidence} for s in p.skills
        ],
        "occupations": [
            {"id": o.occupation.id, "method": o.method, "confidence": o.confidence}
            for o in p.occupations
        ],
        "asked": list(dict.fromkeys(p.asked_ids)),
    }


async def upsert(
    tx: AsyncManagedTransaction, batch: Sequence[JobPosting], now: str
) -> tuple[int, int, int, list[RejectedRecord]]:
    postings = last_per_id(batch)
    [found] = await run(
        tx,
        f"UNWIND $ids AS id MATCH (p:{POSTING} {{id: id}}) "
        "RETURN collect([p.id, p.content_hash]) AS found",
        ids=[p.id for p in postings],
    )
    stored = {pid: digest for pid, digest in found["found"]}
    unchanged, rejected, rows = 0, [], []
    written: list[JobPosting] = []
    for p in postings:
        doc, digest = document(p)
        if stored.get(p.id) == digest:
            unchanged += 1
            continue
        problems = validate_posting(p)
        if problems:
            rejected.append(RejectedRecord("job posting", p.id, tuple(problems)))
            continue
        rows.append(_row(p, doc, digest))
        written.append(p)
    if not rows:
        return 0, 0, unchanged, rejected
    await create_mentioned(
        tx,
        [p.employer for p in written if p.employer is not None],
        [s.skill for p in written for s in p.skills],
        [o.occupation for p in written for o in p.occupations],
        now,
    )
    await unwind(
        tx,
        f"""
        UNWIND $rows AS row
        MERGE (p:{POSTING} {{id: row.id}})
        ON CREATE SET p.first_seen = row.now
        SET p.title = row.title, p.title_key = row.title_key, p.url = row.url,
            p.valid_through = row.valid_through,
            p.source_id = coalesce(row.source_id, p.source_id),
            p.skill_count = row.skill_count, p.content_hash = row.content_hash, p.doc = row.doc,
            p.search_body = row.search_body, p.provenance = row.provenance, p.last_seen = row.now, p.miss_count = 0,
            p.stale = false
        WITH p, row
        OPTIONAL MATCH (p)-[old:POSTED_BY|NEEDS_SKILL|FOR_OCCUPATION|ASKS_FOR]->()
        DELETE old
        WITH DISTINCT p, row
        CALL (p, row) {{
            OPTIONAL MATCH (e:Issuer {{id: row.employer_id}})
            FOREACH (_ IN CASE WHEN e IS NULL THEN [] ELSE [1] END | MERGE (p)-[:POSTED_BY]->(e))
        }}
        CALL (p, row) {{
            UNWIND row.skills AS s
            MATCH (k:Skill {{id: s.id}})
            MERGE (p)-[r:NEEDS_SKILL]->(k) SET r.method = s.method, r.confidence = s.confidence
        }}
        CALL (p, row) {{
            UNWIND row.occupations AS o
            MATCH (k:Occupation {{id: o.id}})
            MERGE (p)-[r:FOR_OCCUPATION]->(k)
            SET r.method = o.method, r.confidence = o.confidence
        }}
        CALL (p, row) {{
            UNWIND row.asked AS cid
            MATCH (c:Credential {{id: cid}})
            MERGE (p)-[:ASKS_FOR]->(c)
        }}
        """,
        [{**r, "now": now} for r in rows],
    )
    created = sum(1 for r in rows if r["id"] not in stored)
    return created, len(rows) - created, unchanged, rejected


async def mark_missed(
    tx: AsyncManagedTransaction, source_id: str, seen: set[str], threshold: int, now: str
) -> StaleReport:
    [record] = await run(
        tx,
        f"MATCH (p:{POSTING} {{source_id: $source}}) "
        "RETURN collect([p.id, coalesce(p.miss_count, 0), coalesce(p.stale, false)]) AS found",
        source=source_id,
    )
    missed = newly = revived = 0
    updates: list[dict[str, Any]] = []
    for pid, misses, stale in record["found"]:
        if pid in seen:
            if misses:
                revived += 1
                updates.append({"id": pid, "misses": 0, "stale": False, "seen": now})
            continue
        missed += 1
        now_stale = stale or misses + 1 >= threshold
        newly += now_stale and not stale
        updates.append({"id": pid, "misses": misses + 1, "stale": now_stale, "seen": None})
    await unwind(
        tx,
        f"UNWIND $rows AS row MATCH (p:{POSTING} {{id: row.id}}) "
        "SET p.miss_count = row.misses, p.stale = row.stale, "
        "p.last_seen = coalesce(row.seen, p.last_seen)",
        updates,
    )
    return StaleReport(missed=missed, newly_stale=newly, revived=revived)


# -- reads ---------------------------------------------------------------------------------
def _view(doc: str, stale: bool | None, provenance: str | None) -> PostingView:
    posting = codec.from_json(JobPosting, json.loads(doc))
    if provenance:
        posting = replace(posting, provenance=codec.from_json(Provenance, json.loads(provenance)))
    return PostingView(posting, bool(stale))


async def get(read: Read, ids: Sequence[str]) -> list[PostingView]:
    rows = await read(
        f"UNWIND $ids AS id MATCH (p:{POSTING} {{id: id}}) "
        "RETURN p.id AS id, p.doc AS doc, p.stale AS stale, p.provenance AS provenance",
        ids=list(dict.fromkeys(ids)),
    )
    found = {r["id"]: _view(r["doc"], r["stale"], r["provenance"]) for r in rows}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


async def list_page(
    read: Read, filter: PostingFilter | None, first: int, after: str | None, at: datetime
) -> Page[PostingView]:
    check_page_size(first)
    cursor = name_cursor(after)
    f = filter or PostingFilter()
    params: dict[str, Any] = {"at": stamp(at)}
    conditions: list[str] = []
    if f.text is not None:
        query = lucene_query(f.text)
        if query is None:
            return Page((), (), after, False, 0)
        params.update(fulltext_index=FULLTEXT, fulltext=query)
        opening = "CALL db.index.fulltext.queryNodes($fulltext_index, $fulltext) YIELD node AS p"
    else:
        opening = f"MATCH (p:{POSTING})"
    if f.skills:
        conditions.append("EXISTS { MATCH (p)-[:NEEDS_SKILL]->(k:Skill) WHERE k.id IN $skills }")
        params["skills"] = list(f.skills)
    if f.occupations:
        conditions.append(
            "EXISTS { MATCH (p)-[:FOR_OCCUPATION]->(o:Occupation) WHERE o.id IN $occupations }"
        )
        params["occupations"] = list(f.occupations)
    if f.employer is not None:
        conditions.append("EXISTS { MATCH (p)-[:POSTED_BY]->(e:Issuer {id: $employer}) }")
        params["employer"] = f.employer
    if f.active is not None:
        conditions.append(f"({_ACTIVE})" if f.active else f"NOT ({_ACTIVE})")
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    joiner = " AND " if conditions else " WHERE "
    [count] = await read(f"{opening}{where} RETURN count(p) AS n", **params)
    ranged = where
    if cursor is not None:
        ranged += joiner + "(p.title_key > $key OR (p.title_key = $key AND p.id > $last))"
        params.update(key=cursor.value, last=cursor.id)
    rows = await read(
        f"{opening}{ranged} RETURN p.id AS id, p.title_key AS key, p.doc AS doc, "
        "p.stale AS stale, p.provenance AS provenance ORDER BY p.title_key, p.id LIMIT $limit",
        **params,
        limit=first + 1,
    )
    page = rows[:first]
    cursors = tuple(Cursor(NAME_SORT, False, r["key"], r["id"]).encode() for r in page)
    return Page(
        items=tuple(_view(r["doc"], r["stale"], r["provenance"]) for r in page),
        cursors=cursors,
        end_cursor=cursors[-1] if cursors else after,
        has_next_page=len(rows) > first,
        total_count=int(count["n"]),
    )


# A SAME_AS relationship `r` that counts: stated (not owned by a computation), or computed
# with a score of at least `$min_confidence`. Only nodes labelled `Equated` are expanded for
# one (see equated.py): most skills have none, and finding that reads all their relationships.
_COUNTS = "(r.owner IS NULL OR NOT r.owner STARTS WITH $computed OR r.score >= $min_confidence)"


async def demand(
    read: Read,
    kind: NodeKind,
    ids: Sequence[str],
    at: datetime,
    min_confidence: float = STATED_SCORE,
) -> DemandCounts:
    params = {"at": stamp(at), "ids": list(dict.fromkeys(ids))}
    [total] = await read(f"MATCH (p:{POSTING}) WHERE {_ACTIVE} RETURN count(p) AS n", **params)
    by_id = dict.fromkeys(ids, 0)
    if not total["n"] or not by_id:
        return DemandCounts(int(total["n"]), by_id)
    if kind is NodeKind.CREDENTIAL:
        # A required skill is covered when the credential teaches or assesses it or a skill
        # a counting SAME_AS relationship joins to it (each required skill once).
        query = f"""
            UNWIND $ids AS cid
            OPTIONAL MATCH (c:Credential {{id: cid}})
            CALL (c) {{
                OPTIONAL MATCH (p:{POSTING})-[:ASKS_FOR]->(c) WHERE {_ACTIVE}
                RETURN collect(p.id) AS asked
            }}
            CALL (c) {{
                OPTIONAL MATCH (c)-[:{SKILL_LINK}]->(t:Skill)
                OPTIONAL MATCH (t:{EQUATED})-[r:SAME_AS]-(e:Skill) WHERE {_COUNTS}
                WITH collect(DISTINCT t) + collect(DISTINCT e) AS taught
                UNWIND taught AS k
                WITH DISTINCT k
                MATCH (k)<-[:NEEDS_SKILL]-(p:{POSTING}) WHERE {_ACTIVE}
                WITH p, count(DISTINCT k) AS covered
                WHERE 2 * covered >= p.skill_count
                RETURN collect(p.id) AS covering
            }}
            RETURN cid AS id, size([x IN asked WHERE NOT x IN covering]) + size(covering) AS n
        """
    else:
        # Each asked node stands for itself and the nodes a counting SAME_AS relationship
        # joins to it; a posting requiring two of them counts once.
        node = "Skill" if kind is NodeKind.SKILL else "Occupation"
        query = f"""
            UNWIND $ids AS id
            MATCH (k:{node} {{id: id}})
            CALL (k) {{
                OPTIONAL MATCH (k:{EQUATED})-[r:SAME_AS]-(e:{node}) WHERE {_COUNTS}
                WITH k, collect(DISTINCT e) AS others
                UNWIND [k] + others AS s
                MATCH (s)<-[:{_REL[kind]}]-(p:{POSTING}) WHERE {_ACTIVE}
                RETURN count(DISTINCT p) AS n
            }}
            RETURN id, n
        """
    rows = await read(query, **params, computed=COMPUTED, min_confidence=min_confidence)
    by_id.update({r["id"]: int(r["n"]) for r in rows if r["id"] in by_id})
    return DemandCounts(int(total["n"]), by_id)


async def credential_ids_by_name(read: Read, names: Sequence[str]) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for name in names:
        if isinstance(name, str) and name.strip():
            keys.setdefault(normalise_label(name), []).append(name)
    rows = await read(
        "UNWIND $keys AS key MATCH (c:Credential {name_key: key}) "
        "RETURN key, c.id AS id ORDER BY id",
        keys=list(keys),
    )
    found: dict[str, list[str]] = {}
    for r in rows:
        for name in keys[r["key"]]:
            found.setdefault(name, []).append(r["id"])
    return found
