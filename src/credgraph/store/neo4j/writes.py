"""Upserts as transaction functions: each runs inside one managed write transaction.

Each first reads the stored fingerprints of its records (`credgraph.model.fingerprint`; same
transaction, one statement per chunk of ids, through the id constraint's index), so an
unchanged record causes no write and no encoding of its document; then writes nodes, embedded
nodes that are missing (as stubs, which a later upsert of the record itself overwrites), and
the edges changed records own. A record whose fingerprint differs from the stored one (or that
was stored before fingerprints were kept) is encoded and its content hash compared: equal, it
is unchanged and only its fingerprint is written, so the next upsert of it skips the encoding.

Versions are `(:CredentialVersion {credential_id, seq, changed_at, changes})` nodes, `changes`
a JSON list of [field, old, new]. Provenance is a JSON list property on the credential, one
entry per (source_id, url), with the list of source ids beside it for `mark_missed`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple, TypeVar

from neo4j import AsyncManagedTransaction

from credgraph.model import codec
from credgraph.model.batches import validate_records
from credgraph.model.fingerprint import fingerprint
from credgraph.model.records import (
    Credential,
    Issuer,
    Occupation,
    Provenance,
    Skill,
    SkillRequirement,
)
from credgraph.model.values import NodeKind
from credgraph.model.views import RejectedRecord, UpsertReport
from credgraph.store import mapping
from credgraph.store.neo4j.common import VERSION, chunks, label
from credgraph.store.neo4j.links import (
    Fresh,
    Link,
    adopt_refs,
    any_refs,
    delete_owned,
    edge_props,
    present_ids,
    run,
    unwind,
    write_links,
)

R = TypeVar("R", Issuer, Skill, Occupation)
Counts = tuple[int, int, int]  # created, updated, unchanged
Document = tuple[str, str]  # a record's stored document and its content hash


def merge_node(kind: NodeKind) -> str:
    return f"UNWIND $rows AS row MERGE (n:{label(kind)} {{id: row.id}}) SET n += row"


def _update_node(kind: NodeKind) -> str:
    return f"UNWIND $rows AS row MATCH (n:{label(kind)} {{id: row.id}}) SET n += row"


async def stored_hashes(
    tx: AsyncManagedTransaction, kind: NodeKind, ids: Sequence[str]
) -> dict[str, tuple[str, bool]]:
    """id -> (content_hash, stub) of the stored records among `ids` (one row per chunk)."""
    query = (
        f"UNWIND $rows AS id MATCH (n:{label(kind)} {{id: id}}) "
        "RETURN collect([n.id, n.content_hash, coalesce(n.stub, false)]) AS found"
    )
    out: dict[str, tuple[str, bool]] = {}
    for part in chunks(list(ids)):
        [record] = await run(tx, query, rows=list(part))
        out.update((node_id, (digest, stub)) for node_id, digest, stub in record["found"])
    return out


class Stored(NamedTuple):
    fingerprint: bytes | None  # None: stored before fingerprints were kept
    content_hash: str
    stub: bool


async def stored_prints(
    tx: AsyncManagedTransaction, kind: NodeKind, ids: Sequence[str]
) -> dict[str, Stored]:
    """What an upsert compares, of the stored records among `ids` (one row per chunk)."""
    query = (
        f"UNWIND $rows AS id MATCH (n:{label(kind)} {{id: id}}) "
        "RETURN collect([n.id, n.fingerprint, n.content_hash, coalesce(n.stub, false)]) AS found"
    )
    out: dict[str, Stored] = {}
    for part in chunks(list(ids)):
        [record] = await run(tx, query, rows=list(part))
        out.update((row[0], Stored(*row[1:])) for row in record["found"])
    return out


def _fingerprints(records: Sequence[Any]) -> dict[Any, bytes]:
    return {r.id: fingerprint(r) for r in records}


async def compared(
    tx: AsyncManagedTransaction,
    kind: NodeKind,
    records: Sequence[Any],
    prints: dict[Any, bytes],
) -> dict[str, Stored]:
    """The stored side of `records` (`stored_prints`), read while their fingerprints are
    computed into `prints` (unless a first try of the transaction did): in a thread, so the
    server's reading and the client's hashing overlap and the event loop stays free (of an
    unchanged re-upsert of 1M credentials, about 18 s hashing and 8 s reading alone)."""
    ids = [r.id for r in records if isinstance(r.id, str)]
    reading = asyncio.ensure_future(stored_prints(tx, kind, ids))
    try:
        if not prints:
            prints.update(await asyncio.to_thread(_fingerprints, records))
    except BaseException:
        # The transaction is abandoned: stop the read and wait for it to end, without taking
        # its outcome as ours (retrieved when it ends, even if nobody waits for it any more),
        # and without swallowing a cancellation of this task that comes meanwhile
        # (asyncio.wait raises that one).
        reading.add_done_callback(_outcome_dropped)
        reading.cancel()
        await asyncio.wait([reading])
        raise
    return await reading


def _outcome_dropped(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not report it: the caller has its own


async def _refingerprint(
    tx: AsyncManagedTransaction, kind: NodeKind, prints: dict[str, bytes]
) -> None:
    """Keep the fingerprints of records found unchanged by their content hash."""
    await unwind(
        tx,
        f"UNWIND $rows AS row MATCH (n:{label(kind)} {{id: row.id}}) "
        "SET n.fingerprint = row.fingerprint",
        [{"id": node_id, "fingerprint": fp} for node_id, fp in prints.items()],
    )


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
) -> tuple[list[Link], Fresh]:
    """Create nodes for mentions not stored yet (first mention wins); never touch stored ones.
    Returns the links the created nodes own, and the nodes created."""
    first: dict[str, Any] = {}
    for record in mentions:
        if record.id not in skip:
            first.setdefault(record.id, record)
    if not first:
        return [], set()
    stored = await present_ids(tx, kind, first)
    missing = [record for node_id, record in first.items() if node_id not in stored]
    if not missing:
        return [], set()
    adopted = await adopt_refs(tx, kind, [r.id for r in missing]) if refs else set()
    rows = [{**_ROW[kind](r), "stub": True, "first_seen": now, "updated_at": now} for r in missing]
    # Known missing in this transaction (or just adopted from a placeholder): set in full.
    await unwind(tx, merge_node(kind), rows)
    links = [Link(e, kind) for r in missing for e in _EDGES[kind](r)]
    return links, {(kind, r.id) for r in missing if r.id not in adopted}


# -- credentials ---------------------------------------------------------------------------


def _provenance(stored: str | None, new: Provenance | None) -> tuple[str, list[str]]:
    entries: list[dict[str, Any]] = json.loads(stored) if stored else []
    if new is not None:
        entry = codec.to_json(new)
        key = (new.source_id, new.url)
        entries = [e for e in entries if (e["source_id"], e["url"]) != key] + [entry]
    sources = sorted({e["source_id"] for e in entries})
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":")), sources


def _linked(c: Credential) -> list[str] | None:
    """Credentials this one is part of or requires, for views (which show those stored)."""
    return list(dict.fromkeys((*c.part_of, *c.requires))) or None


async def upsert_credentials(
    tx: AsyncManagedTransaction,
    batch: list[Credential],
    prints: dict[str, bytes],
    docs: dict[str, Document],
    now: str,
) -> tuple[int, int, int, list[RejectedRecord]]:
    """`prints` and `docs` keep the fingerprints and documents computed here, so that a
    retried transaction finds them. Records are validated after the comparison: one equal to
    a stored record was valid when stored."""
    stored = await compared(tx, NodeKind.CREDENTIAL, batch, prints)
    same = {cid for cid, fp in prints.items() if cid in stored and stored[cid].fingerprint == fp}
    for c in batch:
        if c.id not in same and c.id not in docs:
            docs[c.id] = mapping.document(c)
    equal = {
        c.id: prints[c.id]
        for c in batch
        if c.id not in same and c.id in stored and stored[c.id].content_hash == docs[c.id][1]
    }
    await _refingerprint(tx, NodeKind.CREDENTIAL, equal)
    same |= set(equal)
    records, rejected = validate_records(c for c in batch if c.id not in same)
    new = [c for c in records if c.id not in stored]
    changed = [c for c in records if c.id in stored]
    if not new and not changed:
        return 0, 0, len(same), rejected
    rows = {
        c.id: {
            **mapping.credential_row(c, *docs[c.id]),
            "linked_ids": _linked(c),
            "fingerprint": prints[c.id],
        }
        for c in records
    }
    refs = await any_refs(tx)
    adopted = await adopt_refs(tx, NodeKind.CREDENTIAL, [c.id for c in new]) if refs else set()
    fresh: Fresh = {(NodeKind.CREDENTIAL, c.id) for c in new if c.id not in adopted}

    new_rows = []
    for c in new:
        provenance, sources = _provenance(None, c.provenance)
        new_rows.append(
            {
                **rows[c.id],
                "first_seen": now,
                "last_seen": now,
                "updated_at": now,
                "stale": False,
                "miss_count": 0,
                "provenance": provenance,
                "source_ids": sources,
                "source_id": c.provenance.source_id if c.provenance else None,
            }
        )
    await unwind(tx, merge_node(NodeKind.CREDENTIAL), new_rows)

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
            changed_rows.append(
                {
                    "p": {
                        **rows[c.id],
                        "last_seen": now,
                        "updated_at": now,
                        "stale": False,
                        "miss_count": 0,
                        "provenance": provenance,
                        "source_ids": sources,
                        "source_id": c.provenance.source_id if c.provenance else None,
                    },
                    "changes": json.dumps(
                        [[f.field, f.old, f.new] for f in diff], ensure_ascii=False
                    )
                    if diff
                    else None,
                }
            )
        await unwind(
            tx,
            "UNWIND $rows AS row MATCH (c:Credential {id: row.p.id}) SET c += row.p "
            "WITH c, row WHERE row.changes IS NOT NULL "
            "SET c.version = coalesce(c.version, 0) + 1 "
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
    links: list[Link] = []
    for kind, mentions in (
        (NodeKind.ISSUER, _flatten_issuers(issuers)),
        (NodeKind.SKILL, skills),
        (NodeKind.OCCUPATION, occupations),
    ):
        created_links, created = await _create_missing(tx, kind, mentions, now, refs)
        links += created_links
        fresh |= created
    await delete_owned(tx, NodeKind.CREDENTIAL, [c.id for c in changed])
    links += [Link(e, NodeKind.CREDENTIAL) for c in written for e in mapping.credential_edges(c)]
    await write_links(tx, links, fresh=fresh)
    return len(new), len(changed), len(same), rejected


# -- issuers, skills, occupations ------------------------------------------------------------


async def upsert_nodes(
    tx: AsyncManagedTransaction,
    kind: NodeKind,
    records: list[R],
    prints: dict[str, bytes],
    rows: dict[str, dict[str, Any]],
    now: str,
) -> Counts:
    """Records are the authority for their nodes: they overwrite stubs and older versions.
    `prints` and `rows` keep the fingerprints and rows computed here, for a retry."""
    stored = await compared(tx, kind, records, prints)
    # A node first made from an embedded mention (stub) is overwritten even if it says the same.
    same = {
        r.id
        for r in records
        if r.id in stored and not stored[r.id].stub and stored[r.id].fingerprint == prints[r.id]
    }
    for r in records:
        if r.id not in same and r.id not in rows:
            rows[r.id] = {**_ROW[kind](r), "fingerprint": prints[r.id]}
    rest = [r for r in records if r.id not in same]
    new = [r for r in rest if r.id not in stored]
    changed = [
        r
        for r in rest
        if r.id in stored
        and (stored[r.id].stub or stored[r.id].content_hash != rows[r.id]["content_hash"])
    ]
    updated = {r.id for r in changed}
    await _refingerprint(
        tx, kind, {r.id: prints[r.id] for r in rest if r.id in stored and r.id not in updated}
    )
    unchanged = len(records) - len(new) - len(changed)
    if not new and not changed:
        return 0, 0, unchanged
    refs = await any_refs(tx)
    adopted = await adopt_refs(tx, kind, [r.id for r in new]) if refs else set()
    fresh: Fresh = {(kind, r.id) for r in new if r.id not in adopted}
    await unwind(
        tx,
        merge_node(kind),
        [{**rows[r.id], "stub": False, "first_seen": now, "updated_at": now} for r in new],
    )
    await unwind(
        tx,
        _update_node(kind),
        [{**rows[r.id], "stub": False, "updated_at": now} for r in changed],
    )
    links: list[Link] = []
    if kind is NodeKind.ISSUER:
        written: list[Any] = new + changed
        accreditors = _flatten_issuers(a for r in written for a in r.accredited_by)
        created_links, created = await _create_missing(
            tx, kind, accreditors, now, refs, skip=set(prints)
        )
        links += created_links
        fresh |= created
    await delete_owned(tx, kind, [r.id for r in changed])
    links += [Link(e, kind) for r in new + changed for e in _EDGES[kind](r)]
    await write_links(tx, links, fresh=fresh)
    return len(new), len(changed), unchanged


async def upsert_requirements(
    tx: AsyncManagedTransaction, records: list[SkillRequirement], now: str
) -> tuple[int, int, int, list[RejectedRecord]]:
    occupations = await present_ids(tx, NodeKind.OCCUPATION, [r.occupation_id for r in records])
    rejected = mapping.unknown_occupations(records, occupations)
    ok = [r for r in records if r.occupation_id in occupations]
    if not ok:
        return 0, 0, 0, rejected
    refs = await any_refs(tx)
    links, fresh = await _create_missing(tx, NodeKind.SKILL, [r.skill for r in ok], now, refs)
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
        wanted = edge_props(edge)
        have = existing.get((r.occupation_id, r.skill.id))
        if have is None:
            created += 1
        elif dict(have) == wanted:
            unchanged += 1
            continue
        else:
            updated += 1
        links.append(Link(edge, NodeKind.OCCUPATION))
    await write_links(tx, links, fresh=fresh, replace_props=True)
    return created, updated, unchanged, rejected


async def replace_requirements(
    tx: AsyncManagedTransaction,
    owner: str,
    occupation_ids: Sequence[str],
    records: Sequence[SkillRequirement],
    now: str,
) -> UpsertReport:
    """See `CatalogueWriter.replace_skill_requirements`: every stored requirement of the
    occupations covered is read once, so a replacement costs what an upsert of it does."""
    covered = list(dict.fromkeys([*occupation_ids, *(r.occupation_id for r in records)]))
    known = await present_ids(tx, NodeKind.OCCUPATION, covered)
    rejected = tuple(mapping.unknown_occupations(records, known))
    stated: dict[tuple[str, str], SkillRequirement] = {}
    for r in records:
        if r.occupation_id in known:  # of a pair stated twice, the first is kept
            stated.setdefault((r.occupation_id, r.skill.id), r)
    refs = await any_refs(tx)
    links, fresh = await _create_missing(
        tx, NodeKind.SKILL, [r.skill for r in stated.values()], now, refs
    )
    current: dict[tuple[str, str], dict[str, Any]] = {}
    for part in chunks(sorted(known)):
        for row in await run(
            tx,
            "UNWIND $ids AS oid MATCH (:Occupation {id: oid})-[e:REQUIRES_SKILL]->(s:Skill) "
            "RETURN oid AS o, s.id AS s, properties(e) AS p",
            ids=list(part),
        ):
            current[(row["o"], row["s"])] = dict(row["p"])
    created = updated = unchanged = 0
    for key, r in stated.items():
        edge = mapping.requirement_edge(r, owner)
        have = current.get(key)
        if have is None:
            created += 1
        elif have == edge_props(edge):
            unchanged += 1
            continue
        else:
            updated += 1
        links.append(Link(edge, NodeKind.OCCUPATION))
    # No `owner` property: the edge was stored before requirements had owners.
    stale = [
        list(key)
        for key, props in current.items()
        if key not in stated and props.get("owner") in (None, owner)
    ]
    await unwind(
        tx,
        "UNWIND $rows AS row MATCH (:Occupation {id: row[0]})-[e:REQUIRES_SKILL]->"
        "(:Skill {id: row[1]}) DELETE e",
        stale,
    )
    await write_links(tx, links, fresh=fresh, replace_props=True)
    return UpsertReport(created, updated, unchanged, rejected, deleted=len(stale))


async def create_mentioned(
    tx: AsyncManagedTransaction,
    issuers: Iterable[Issuer],
    skills: Iterable[Skill],
    occupations: Iterable[Occupation],
    now: str,
) -> None:
    """Create the nodes another record (a job posting) mentions, when missing, as a
    credential's embedded references are; stored nodes are never touched."""
    refs = await any_refs(tx)
    links: list[Link] = []
    fresh: Fresh = set()
    for kind, mentions in (
        (NodeKind.ISSUER, _flatten_issuers(issuers)),
        (NodeKind.SKILL, list(skills)),
        (NodeKind.OCCUPATION, list(occupations)),
    ):
        created_links, created = await _create_missing(tx, kind, mentions, now, refs)
        links += created_links
        fresh |= created
    await write_links(tx, links, fresh=fresh)
