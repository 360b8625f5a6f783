"""Upserts as transaction functions: each runs inside one managed write transaction.

Each first reads the stored content hashes of its records (same transaction), so unchanged
records cause no write; then writes nodes, embedded nodes that are missing (as stubs, which a
later upsert of the record itself overwrites), and the edges changed records own.

Versions are `(:CredentialVersion {credential_id, seq, changed_at, changes})` nodes, `changes`
a JSON list of [field, old, new]. Provenance is a JSON list property on the credential, one
entry per (source_id, url), with the list of source ids beside it for `mark_missed`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from neo4j import AsyncManagedTransaction

from credgraph.model import codec
from credgraph.model.crawl import CrawlRun, Source
from credgraph.model.records import (
    Credential,
    Issuer,
    Occupation,
    Provenance,
    Skill,
    SkillRequirement,
)
from credgraph.model.values import NodeKind
from credgraph.model.views import RejectedRecord, StaleReport
from credgraph.store import mapping
from credgraph.store.neo4j.common import VERSION, label, utc_iso
from credgraph.store.neo4j.links import (
    Link,
    adopt_refs,
    any_refs,
    delete_owned,
    present_ids,
    run,
    unwind,
    write_links,
)

R = TypeVar("R", Issuer, Skill, Occupation)
Counts = tuple[int, int, int]  # created, updated, unchanged


def _merge_node(kind: NodeKind) -> str:
    return f"UNWIND $rows AS row MERGE (n:{label(kind)} {{id: row.id}}) SET n += row"


def _update_node(kind: NodeKind) -> str:
    return f"UNWIND $rows AS row MATCH (n:{label(kind)} {{id: row.id}}) SET n += row"


def _stub_node(kind: NodeKind) -> str:
    return f"UNWIND $rows AS row MERGE (n:{label(kind)} {{id: row.id}}) ON CREATE SET n += row"


async def _stored(tx: AsyncManagedTransaction, kind: NodeKind, ids: Sequence[str]) -> dict[str, Any]:
    """id -> (content_hash, stub) of the stored records among `ids`."""
    records = await run(
        tx,
        f"UNWIND $ids AS id MATCH (n:{label(kind)} {{id: id}}) "
        "RETURN n.id AS id, n.content_hash AS hash, coalesce(n.stub, false) AS stub",
        ids=list(ids),
    )
    return {r["id"]: (r["hash"], r["stub"]) for r in records}


# -- embedded references -----------------------------------------------------------------


def _flatten_issuers(issuers: Iterable[Issuer]) -> list[Issuer]:
    out: list[Issuer] = []
    stack = list(issuers)[::-1]
    while stack:
        issuer = stack.pop()
        out.append(issuer)
        stack.extend(reversed(issuer.accredited_by))
    return out


_ROW: dict[NodeKind, Callable[[Any], dict[str, Any]]] = {
    NodeKind.ISSUER: mapping.issuer_row,
    NodeKind.SKILL: mapping.skill_row,
    NodeKind.OCCUPATION: mapping.occupation_row,
}
_EDGES: dict[NodeKind, Callable[[Any], list[mapping.EdgeRow]]] = {
    NodeKind.ISSUER: mapping.issuer_edges,
    NodeKind.SKILL: mapping.skill_edges,
    NodeKind.OCCUPATION: lambda _record: [],
}


async def _create_missing(
    tx: AsyncManagedTransaction,
    kind: NodeKind,
    mentions: Iterable[Issuer | Skill | Occupation],
    now: str,
    refs: bool,
    skip: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[Link]:
    """Create nodes for mentions not stored yet (first mention wins); never touch stored ones.
    Returns the links the created nodes own."""
    first: dict[str, Any] = {}
    for record in mentions:
        if record.id not in skip:
            first.setdefault(record.id, record)
    if not first:
        return []
    stored = await present_ids(tx, kind, first)
    missing = [record for node_id, record in first.items() if node_id not in stored]
    if not missing:
        return []
    if refs:
        await adopt_refs(tx, kind, [r.id for r in missing])
    rows = [{**_ROW[kind](r), "stub": True, "first_seen": now, "updated_at": now} for r in missing]
    await unwind(tx, _stub_node(kind), rows)
    return [Link(e, kind) for r in missing for e in _EDGES[kind](r)]


# -- credentials ---------------------------------------------------------------------------


def _provenance(stored: str | None, new: Provenance | None) -> tuple[str, list[str]]:
    entries: list[dict[str, Any]] = json.loads(stored) if stored else []
    if new is not None:
        entry = codec.to_json(new)
        key = (new.source_id, new.url)
        entries = [e for e in entries if (e["source_id"], e["url"]) != key] + [entry]
    sources = sorted({e["source_id"] for e in entries})
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":")), sources


async def upsert_credentials(
    tx: AsyncManagedTransaction, records: list[Credential], now: str
) -> Counts:
    rows = {c.id: mapping.credential_row(c) for c in records}
    stored = await _stored(tx, NodeKind.CREDENTIAL, list(rows))
    new = [c for c in records if c.id not in stored]
    changed = [
        c for c in records if c.id in stored and stored[c.id][0] != rows[c.id]["content_hash"]
    ]
    unchanged = len(records) - len(new) - len(changed)
    if not new and not changed:
        return 0, 0, unchanged
    refs = await any_refs(tx)
    if refs:
        await adopt_refs(tx, NodeKind.CREDENTIAL, [c.id for c in new])

    new_rows = []
    for c in new:
        provenance, sources = _provenance(None, c.provenance)
        new_rows.append({
            **rows[c.id], "first_seen": now, "last_seen": now, "updated_at": now,
            "stale": False, "miss_count": 0, "provenance": provenance, "source_ids": sources,
        })
    await unwind(tx, _merge_node(NodeKind.CREDENTIAL), new_rows)

    if changed:
        old = {
            r["id"]: (r["doc"], r["provenance"])
            for r in await run(
                tx,
                "UNWIND $ids AS id MATCH (c:Credential {id: id}) "
                "RETURN c.id AS id, c.doc AS doc, c.provenance AS provenance",
                ids=[c.id for c in changed],
            )
        }
        changed_rows = []
        for c in changed:
            old_doc, old_provenance = old[c.id]
            provenance, sources = _provenance(old_provenance, c.provenance)
            diff = mapping.diff_credentials(old_doc, rows[c.id]["doc"])
            changed_rows.append({
                "p": {**rows[c.id], "last_seen": now, "updated_at": now,
                      "provenance": provenance, "source_ids": sources},
                "changes": json.dumps([[f.field, f.old, f.new] for f in diff], ensure_ascii=False),
            })
        await unwind(
            tx,
            "UNWIND $rows AS row MATCH (c:Credential {id: row.p.id}) SET c += row.p, "
            "c.version = coalesce(c.version, 0) + 1 "
            f"CREATE (:{VERSION} {{credential_id: c.id, seq: c.version, "
            "changed_at: row.p.updated_at, changes: row.changes})",
            changed_rows,
        )

    written = new + changed
    issuers: list[Issuer] = []
    skills: list[Skill] = []
    occupations: list[Occupation] = []
    for c in written:
        i, s, o = mapping.embedded_nodes(c)
        issuers += i
        skills += s
        occupations += o
    links = await _create_missing(tx, NodeKind.ISSUER, _flatten_issuers(issuers), now, refs)
    links += await _create_missing(tx, NodeKind.SKILL, skills, now, refs)
    links += await _create_missing(tx, NodeKind.OCCUPATION, occupations, now, refs)
    await delete_owned(tx, NodeKind.CREDENTIAL, [c.id for c in changed])
    links += [Link(e, NodeKind.CREDENTIAL) for c in written for e in mapping.credential_edges(c)]
    await write_links(tx, links)
    return len(new), len(changed), unchanged


# -- issuers, skills, occupations ------------------------------------------------------------


async def upsert_nodes(
    tx: AsyncManagedTransaction, kind: NodeKind, records: list[R], now: str
) -> Counts:
    """Records are the authority for their nodes: they overwrite stubs and older versions."""
    rows = {r.id: _ROW[kind](r) for r in records}
    stored = await _stored(tx, kind, list(rows))
    new = [r for r in records if r.id not in stored]
    changed = [r for r in records if r.id in stored and stored[r.id][0] != rows[r.id]["content_hash"]]
    unchanged = len(records) - len(new) - len(changed)
    if not new and not changed:
        return 0, 0, unchanged
    refs = await any_refs(tx)
    if refs:
        await adopt_refs(tx, kind, [r.id for r in new])
    await unwind(
        tx,
        _merge_node(kind),
        [{**rows[r.id], "stub": False, "first_seen": now, "updated_at": now} for r in new],
    )
    await unwind(
        tx,
        _update_node(kind),
        [{**rows[r.id], "stub": False, "updated_at": now} for r in changed],
    )
    links: list[Link] = []
    if kind is NodeKind.ISSUER:
        accreditors = _flatten_issuers(
            a for r in new + changed for a in r.accredited_by  # type: ignore[union-attr]
        )
        links += await _create_missing(tx, kind, accreditors, now, refs, skip=set(rows))
    await delete_owned(tx, kind, [r.id for r in changed])
    links += [Link(e, kind) for r in new + changed for e in _EDGES[kind](r)]
    await write_links(tx, links)
    # A stub replaced by its record counts as created: the record was not stored before.
    stubs = sum(1 for r in changed if stored[r.id][1])
    return len(new) + stubs, len(changed) - stubs, unchanged


async def upsert_requirements(
    tx: AsyncManagedTransaction, records: list[SkillRequirement], now: str
) -> tuple[int, int, int, list[RejectedRecord]]:
    occupations = await present_ids(tx, NodeKind.OCCUPATION, [r.occupation_id for r in records])
    rejected = [
        RejectedRecord("skill requirement", r.occupation_id,
                       (f"occupation {r.occupation_id!r} is not stored",))
        for r in records
        if r.occupation_id not in occupations
    ]
    ok = [r for r in records if r.occupation_id in occupations]
    if not ok:
        return 0, 0, 0, rejected
    refs = await any_refs(tx)
    links = await _create_missing(tx, NodeKind.SKILL, [r.skill for r in ok], now, refs)
    existing = {
        (r["o"], r["s"]): r["p"]
        for r in await run(
            tx,
            "UNWIND $rows AS row MATCH (o:Occupation {id: row.o})-[e:REQUIRES_SKILL]->"
            "(s:Skill {id: row.s}) RETURN row.o AS o, row.s AS s, properties(e) AS p",
            rows=[{"o": r.occupation_id, "s": r.skill.id} for r in ok],
        )
    }
    created = updated = unchanged = 0
    for r in ok:
        edge = mapping.requirement_edge(r)
        wanted = {**(json.loads(edge.props) if edge.props else {}), "owner": edge.owner}
        have = existing.get((r.occupation_id, r.skill.id))
        if have is None:
            created += 1
        elif dict(have) == wanted:
            unchanged += 1
            continue
        else:
            updated += 1
        links.append(Link(edge, NodeKind.OCCUPATION))
    await write_links(tx, links)
    return created, updated, unchanged, rejected


# -- sources, crawl runs, staleness -----------------------------------------------------------


async def upsert_sources(tx: AsyncManagedTransaction, records: list[Source]) -> Counts:
    rows = {
        s.id: {"id": s.id, "format": s.format, "content_hash": codec.content_hash(s),
               "doc": codec.dumps(s)}
        for s in records
    }
    stored = await _stored(tx, NodeKind.SOURCE, list(rows))
    write = [row for sid, row in rows.items() if stored.get(sid, (None,))[0] != row["content_hash"]]
    await unwind(tx, _merge_node(NodeKind.SOURCE), write)
    created = sum(1 for sid in rows if sid not in stored)
    return created, len(write) - created, len(rows) - len(write)


async def record_crawl_run(tx: AsyncManagedTransaction, run_: CrawlRun) -> None:
    row = {
        "id": run_.id,
        "source_id": run_.source_id,
        "status": run_.status.value,
        "started_at": utc_iso(run_.started_at),
        "doc": codec.dumps(run_),
    }
    await run(tx, "MERGE (r:CrawlRun {id: $row.id}) SET r = $row", row=row)


async def mark_missed(
    tx: AsyncManagedTransaction, source_id: str, seen: set[str], threshold: int
) -> StaleReport:
    records = await run(
        tx,
        "MATCH (c:Credential) WHERE $source IN c.source_ids "
        "RETURN c.id AS id, coalesce(c.miss_count, 0) AS misses, coalesce(c.stale, false) AS stale",
        source=source_id,
    )
    missed = newly_stale = revived = 0
    updates: list[dict[str, Any]] = []
    for r in records:
        if r["id"] in seen:
            if r["misses"] or r["stale"]:
                revived += bool(r["stale"])
                updates.append({"id": r["id"], "misses": 0, "stale": False})
            continue
        missed += 1
        misses = r["misses"] + 1
        stale = r["stale"] or misses >= threshold
        newly_stale += stale and not r["stale"]
        updates.append({"id": r["id"], "misses": misses, "stale": stale})
    await unwind(
        tx,
        "UNWIND $rows AS row MATCH (c:Credential {id: row.id}) "
        "SET c.miss_count = row.misses, c.stale = row.stale",
        updates,
    )
    return StaleReport(missed, newly_stale, revived)

