"""Batch writes for the SQLite store. Every function runs inside the caller's transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from credgraph.model import codec
from credgraph.model.batches import embeds_shared, validate_records
from credgraph.model.crawl import CrawlRun, Source
from credgraph.model.fingerprint import fingerprint
from credgraph.model.records import (
    Credential,
    Issuer,
    Occupation,
    Provenance,
    Skill,
    SkillRequirement,
)
from credgraph.model.values import CrawlStatus, EdgeType, NodeKind
from credgraph.model.views import RejectedRecord, StaleReport
from credgraph.store import mapping
from credgraph.store.mapping import EdgeRow
from credgraph.store.sqlite import bulk, graph_counts
from credgraph.store.sqlite.sql import FTS_TABLES, NODE_TABLES, select_in
from credgraph.store.sqlite.version import bump_search

_EXTRA_COLUMNS: dict[NodeKind, tuple[str, ...]] = {
    NodeKind.ISSUER: ("country", "ctid", "url"),
    NodeKind.SKILL: ("framework", "uri", "code"),
    NodeKind.OCCUPATION: ("framework", "uri", "code"),
    NodeKind.CREDENTIAL: (
        "type",
        "ctid",
        "url",
        "issuer_id",
        "language",
        "cost_amount",
        "cost_currency",
        "duration_hours",
        "transparency",
        "skill_count",
        "occupation_count",
        "source_id",
    ),
}
_OWNED_OUTGOING: dict[NodeKind, tuple[str, ...]] = {
    NodeKind.ISSUER: ("ACCREDITED_BY",),
    NodeKind.SKILL: ("BROADER", "SAME_AS"),
    NodeKind.OCCUPATION: (),
    NodeKind.CREDENTIAL: (
        "ISSUED_BY",
        "TEACHES",
        "ASSESSES",
        "PREPARES_FOR",
        "PART_OF",
        "REQUIRES",
        "ACCREDITED_BY",
        "PREPARES_FOR_CREDENTIAL",
        "ADVANCED_STANDING",
    ),
}


# The count each node kind's inserts move (graph_counts.py).
_COUNTED: dict[NodeKind, graph_counts.Counted] = {
    NodeKind.ISSUER: "issuers",
    NodeKind.SKILL: "skills",
    NodeKind.OCCUPATION: "occupations",
}


@dataclass(slots=True)
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _next_rowid(conn: sqlite3.Connection, table: str) -> int:
    # Explicit rowids let the FTS row share the node row's rowid without a read-back;
    # safe because the caller holds the write lock (BEGIN IMMEDIATE).
    (top,) = conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()
    return int(top) + 1


def _existing(
    conn: sqlite3.Connection, table: str, ids: Iterable[str]
) -> dict[str, tuple[Any, ...]]:
    rows = select_in(
        conn, f"SELECT id, rowid, content_hash, stub FROM {table} WHERE id IN ({{ids}})", ids
    )
    return {r[0]: tuple(r[1:]) for r in rows}


# An edge type's text by dict lookup: the enum's `value` is a Python-level property, read
# four times per credential written.
_TYPE_TEXT: dict[EdgeType, str] = {t: t.value for t in EdgeType}
_EDGE_KEY = itemgetter(0, 1, 2)


def _edge_rows(edges: Iterable[EdgeRow]) -> list[tuple[str, str, str, str, str | None]]:
    text = _TYPE_TEXT
    # unpacked, not read by field name: a named tuple's fields are Python-level properties
    return [(source, text[t], target, owner, props) for t, source, target, owner, props in edges]


def _insert_edges(conn: sqlite3.Connection, edges: Iterable[EdgeRow]) -> None:
    rows = _edge_rows(edges)
    # In key order, consecutive inserts land on the same leaf page of the edges table instead
    # of hopping across it; the sort is stable, so of two rows with one key the first still
    # wins the INSERT OR IGNORE.
    rows.sort(key=_EDGE_KEY)
    may_dangle = graph_counts.MAY_DANGLE
    keys = [(r[0], r[1], r[2]) for r in rows if r[1] in may_dangle]
    with graph_counts.dangling_moved(conn, lambda: graph_counts.dangling_among(conn, keys)):
        inserted = conn.executemany(
            "INSERT OR IGNORE INTO edges (src, type, dst, owner, props) VALUES (?, ?, ?, ?, ?)",
            rows,
        )
    graph_counts.inserted(conn, "edges", inserted)


def _delete_owned_edges(conn: sqlite3.Connection, kind: NodeKind, ids: Sequence[str]) -> None:
    types = _OWNED_OUTGOING[kind]
    if not types or not ids:
        return
    type_list = ",".join(f"'{t}'" for t in types)  # constants from our own table above
    # counted before: after the delete, none of them is left to count
    graph_counts.move(conn, "dangling", -graph_counts.dangling_owned(conn, "src", types, ids))
    deleted = conn.executemany(
        f"DELETE FROM edges WHERE src = ? AND owner = ? AND type IN ({type_list})",
        [(i, i) for i in ids],
    )
    graph_counts.deleted(conn, "edges", deleted)
    if kind is NodeKind.CREDENTIAL:
        # has_part, prepared_by, advanced_standing_from: the edge ends at its owner
        ending = ("PART_OF", "PREPARES_FOR_CREDENTIAL", "ADVANCED_STANDING")
        graph_counts.move(conn, "dangling", -graph_counts.dangling_owned(conn, "dst", ending, ids))
        deleted = conn.executemany(
            "DELETE FROM edges WHERE dst = ? AND owner = ? AND type IN "
            "('PART_OF', 'PREPARES_FOR_CREDENTIAL', 'ADVANCED_STANDING')",
            [(i, i) for i in ids],
        )
        graph_counts.deleted(conn, "edges", deleted)


def upsert_nodes(
    conn: sqlite3.Connection,
    kind: NodeKind,
    rows: Sequence[dict[str, Any]],
    edges: dict[str, list[EdgeRow]],
    now: str,
    *,
    embedded: bool,
) -> Counts:
    """Issuers, skills or occupations. Embedded mentions only create missing nodes;
    a full upsert also overwrites changed nodes and nodes first made from a mention."""
    table, fts, extra = NODE_TABLES[kind], FTS_TABLES[kind], _EXTRA_COLUMNS[kind]
    existing = _existing(conn, table, (r["id"] for r in rows))
    counts = Counts()
    new, changed, refingerprinted = [], [], []
    for row in rows:
        found = existing.get(row["id"])
        if found is None:
            new.append(row)
        elif not embedded and (found[1] != row["content_hash"] or found[2]):
            changed.append((found[0], row))
        else:
            counts.unchanged += 1
            if not embedded:  # its fingerprint differed (write_nodes), its document not
                refingerprinted.append((row["fingerprint"], found[0]))
    counts.created, counts.updated = len(new), len(changed)
    # So that the next upsert of the same record finds it unchanged without encoding it.
    conn.executemany(f"UPDATE {table} SET fingerprint = ? WHERE rowid = ?", refingerprinted)
    columns = ("name", "name_key", "content_hash", "doc", *extra, "fingerprint")
    start = _next_rowid(conn, table)
    inserted = conn.executemany(
        f"INSERT INTO {table} (rowid, id, stub, first_seen, updated_at, {', '.join(columns)}) "
        f"VALUES (?, ?, ?, ?, ?, {', '.join('?' * len(columns))})",
        [
            (start + n, r["id"], int(embedded), now, now, *(r[c] for c in columns))
            for n, r in enumerate(new)
        ],
    )
    graph_counts.inserted(conn, _COUNTED[kind], inserted)
    graph_counts.node_inserted(conn, table, [r["id"] for r in new])
    assignments = ", ".join(f"{c} = ?" for c in columns)
    conn.executemany(
        f"UPDATE {table} SET stub = 0, updated_at = ?, {assignments} WHERE rowid = ?",
        [(now, *(r[c] for c in columns), rowid) for rowid, r in changed],
    )
    conn.executemany(f"DELETE FROM {fts} WHERE rowid = ?", [(rowid,) for rowid, _ in changed])
    conn.executemany(
        f"INSERT INTO {fts} (rowid, name, body) VALUES (?, ?, ?)",
        [(start + n, r["name"], r["search_body"]) for n, r in enumerate(new)]
        + [(rowid, r["name"], r["search_body"]) for rowid, r in changed],
    )
    if new or changed:
        bump_search(conn, fts, len(new) + len(changed))
    _delete_owned_edges(conn, kind, [r["id"] for _, r in changed])
    _insert_edges(conn, (e for r in new for e in edges.get(r["id"], ())))
    _insert_edges(conn, (e for _, r in changed for e in edges.get(r["id"], ())))
    return counts


def _collect_issuers(found: Iterable[Issuer], into: dict[str, Issuer]) -> None:
    """Issuers and, at any depth, the accreditors they name."""
    for issuer in found:
        if issuer.id not in into:
            into[issuer.id] = issuer
            _collect_issuers(issuer.accredited_by, into)


NodeRecord = Issuer | Skill | Occupation
_MAPPINGS: dict[
    NodeKind, tuple[Callable[[Any], dict[str, Any]], Callable[[Any], list[EdgeRow]]]
] = {
    NodeKind.ISSUER: (mapping.issuer_row, mapping.issuer_edges),
    NodeKind.SKILL: (mapping.skill_row, mapping.skill_edges),
    NodeKind.OCCUPATION: (mapping.occupation_row, lambda _occupation: []),
}


def write_nodes(
    conn: sqlite3.Connection,
    kind: NodeKind,
    records: Iterable[NodeRecord],
    now: str,
    *,
    embedded: bool,
) -> Counts:
    """Upsert issuers, skills or occupations with the edges they declare (see upsert_nodes)."""
    to_row, to_edges = _MAPPINGS[kind]
    found = list(records)
    known: set[str] = set()
    if embedded:
        # Mentions only create what is missing: look the ids up before encoding anything, so
        # a batch naming thousands of known skills costs one indexed read per 500 ids instead
        # of one JSON document and hash per mention.
        known = {
            r[0]
            for r in select_in(
                conn,
                f"SELECT id FROM {NODE_TABLES[kind]} WHERE id IN ({{ids}})",
                (r.id for r in found),
            )
        }
        found = [r for r in found if r.id not in known]
    prints = {r.id: fingerprint(r) for r in found}
    if not embedded:
        # A node stored whole (not a stub made from a mention) whose fingerprint is the
        # incoming record's is unchanged: its document is never encoded.
        known = {
            node_id
            for node_id, stub, stored in select_in(
                conn,
                f"SELECT id, stub, fingerprint FROM {NODE_TABLES[kind]} WHERE id IN ({{ids}})",
                prints,
            )
            if not stub and stored == prints[node_id]
        }
        found = [r for r in found if r.id not in known]
    rows = [to_row(r) | {"fingerprint": prints[r.id]} for r in found]
    counts = upsert_nodes(
        conn, kind, rows, {r.id: to_edges(r) for r in found}, now, embedded=embedded
    )
    counts.unchanged += len(known)
    return counts


def upsert_accreditors(conn: sqlite3.Connection, issuers: Sequence[Issuer], now: str) -> None:
    """Create (never overwrite) the accreditors that upserted issuers name."""
    found: dict[str, Issuer] = {}
    _collect_issuers((a for i in issuers for a in i.accredited_by), found)
    write_nodes(conn, NodeKind.ISSUER, found.values(), now, embedded=True)


def upsert_embedded(conn: sqlite3.Connection, credentials: Sequence[Credential], now: str) -> None:
    """Create the issuers, accreditors, skills and occupations credentials mention, if missing."""
    issuers: dict[str, Issuer] = {}
    skills: dict[str, Skill] = {}
    occupations: dict[str, Occupation] = {}
    for c in credentials:
        found_issuers, found_skills, found_occupations = mapping.embedded_nodes(c)
        _collect_issuers(found_issuers, issuers)
        skills.update((s.id, s) for s in found_skills if s.id not in skills)
        occupations.update((o.id, o) for o in found_occupations if o.id not in occupations)
    write_nodes(conn, NodeKind.ISSUER, issuers.values(), now, embedded=True)
    write_nodes(conn, NodeKind.SKILL, skills.values(), now, embedded=True)
    write_nodes(conn, NodeKind.OCCUPATION, occupations.values(), now, embedded=True)


# A credential row's written columns, read from its mapped row in one C call.
_CREDENTIAL_COLUMNS = (
    "name",
    "name_key",
    "content_hash",
    *_EXTRA_COLUMNS[NodeKind.CREDENTIAL],
    "fingerprint",
)
_CREDENTIAL_VALUES = itemgetter(*_CREDENTIAL_COLUMNS)


def upsert_credentials(
    conn: sqlite3.Connection, batch: Sequence[Credential], now: str, *, staged: bool = False
) -> tuple[Counts, list[RejectedRecord]]:
    """Upsert one id-deduplicated batch; records are validated unless unchanged. `staged`:
    during a bulk load (bulk.py), new credentials' links go to `staged_edges`.

    A record is unchanged when its fingerprint equals the stored one: an unchanged re-crawl
    neither encodes documents nor writes anything."""
    prints = {c.id: fingerprint(c) for c in batch}
    existing = {
        r[0]: (r[1], r[2])
        for r in select_in(
            conn, "SELECT id, rowid, fingerprint FROM credentials WHERE id IN ({ids})", prints
        )
    }
    unchanged = {cid for cid, fp in prints.items() if cid in existing and existing[cid][1] == fp}
    valid, rejected = validate_records(c for c in batch if c.id not in unchanged)
    records = {c.id: c for c in valid}
    new = [cid for cid in records if cid not in existing]
    changed = [cid for cid in records if cid in existing]
    counts = Counts(len(new), len(changed), len(unchanged))
    if not new and not changed:
        return counts, rejected
    old_docs = {
        r[0]: r[1]
        for r in select_in(
            conn,
            "SELECT c.id, d.doc FROM credentials c JOIN credential_docs d ON d.rowid = c.rowid "
            "WHERE c.id IN ({ids})",
            changed,
        )
    }
    # the issuer and skill objects a page's credentials share, each encoded once
    shared: codec.Encoded | None = {} if embeds_shared(valid) else None
    rows = {cid: mapping.credential_row(records[cid], shared=shared) for cid in (*new, *changed)}
    upsert_embedded(conn, [records[i] for i in (*new, *changed)], now)
    for cid in (*new, *changed):
        prov = records[cid].provenance
        rows[cid]["source_id"] = prov.source_id if prov else None
        rows[cid]["fingerprint"] = prints[cid]
    values = _CREDENTIAL_VALUES
    start = _next_rowid(conn, "credentials")
    inserted = conn.executemany(
        "INSERT INTO credentials (rowid, id, first_seen, updated_at, last_seen, "
        f"{', '.join(_CREDENTIAL_COLUMNS)}) "
        f"VALUES (?, ?, ?, ?, ?, {', '.join('?' * len(_CREDENTIAL_COLUMNS))})",
        [(start + n, cid, now, now, now, *values(rows[cid])) for n, cid in enumerate(new)],
    )
    graph_counts.inserted(conn, "credentials", inserted)
    graph_counts.node_inserted(conn, "credentials", new)
    assignments = ", ".join(f"{c} = ?" for c in _CREDENTIAL_COLUMNS)
    conn.executemany(
        f"UPDATE credentials SET updated_at = ?, last_seen = ?, miss_count = 0, stale = 0, "
        f"{assignments} WHERE id = ?",
        [(now, now, *values(rows[cid]), cid) for cid in changed],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO credential_docs (rowid, doc) VALUES (?, ?)",
        [(start + n, rows[c]["doc"]) for n, c in enumerate(new)]
        + [(existing[c][0], rows[c]["doc"]) for c in changed],
    )
    conn.executemany(
        "DELETE FROM credentials_fts WHERE rowid = ?", [(existing[c][0],) for c in changed]
    )
    conn.executemany(
        "INSERT INTO credentials_fts (rowid, name, body) VALUES (?, ?, ?)",
        [(start + n, rows[c]["name"], rows[c]["search_body"]) for n, c in enumerate(new)]
        + [(existing[c][0], rows[c]["name"], rows[c]["search_body"]) for c in changed],
    )
    if new or changed:
        bump_search(conn, "credentials_fts", len(new) + len(changed))
    _delete_owned_edges(conn, NodeKind.CREDENTIAL, changed)
    if staged:
        bulk.stage_edges(
            conn, _edge_rows(e for cid in new for e in mapping.credential_edges(records[cid]))
        )
        new_edges: Sequence[str] = ()
    else:
        new_edges = new
    _insert_edges(
        conn,
        (e for cid in (*new_edges, *changed) for e in mapping.credential_edges(records[cid])),
    )
    versions = []
    for cid in changed:
        diff = mapping.diff_credentials(old_docs[cid], rows[cid]["doc"])
        if diff:
            versions.append((cid, now, json.dumps(codec.to_json(diff), ensure_ascii=False)))
    conn.executemany(
        "INSERT INTO credential_versions (credential_id, changed_at, changes) VALUES (?, ?, ?)",
        versions,
    )
    write_provenance(conn, [records[i] for i in (*new, *changed)])
    return counts, rejected


def write_provenance(conn: sqlite3.Connection, records: Iterable[Credential]) -> None:
    # A page's records share one provenance object: its columns are made once.
    columns: dict[int, tuple[Provenance, tuple[str, str, str, str, str | None, str | None]]] = {}
    rows = []
    for r in records:
        p = r.provenance
        if p is None:
            continue
        found = columns.get(id(p))
        if found is None or found[0] is not p:
            found = columns[id(p)] = (
                p,
                (p.source_id, p.url, p.format, p.fetched_at.isoformat(), p.content_hash, p.licence),
            )
        rows.append((r.id, *found[1]))
    # An upsert, not INSERT OR REPLACE: the row it leaves is the same, and SQLite inserts a
    # new row (every row of a crawl's first pass) without REPLACE's separate checks of the
    # key and index for a row to delete first (0.017 -> 0.010 ms per credential).
    conn.executemany(
        "INSERT INTO provenance (record_id, source_id, url, format, fetched_at, "
        "content_hash, licence) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (record_id, source_id, url) DO UPDATE SET format = excluded.format, "
        "fetched_at = excluded.fetched_at, content_hash = excluded.content_hash, "
        "licence = excluded.licence",
        rows,
    )


def upsert_requirements(
    conn: sqlite3.Connection, batch: Sequence[SkillRequirement], now: str
) -> tuple[Counts, list[RejectedRecord]]:
    known = {
        r[0]
        for r in select_in(
            conn, "SELECT id FROM occupations WHERE id IN ({ids})", (r.occupation_id for r in batch)
        )
    }
    rejected = mapping.unknown_occupations(batch, known)
    accepted = [r for r in batch if r.occupation_id in known]
    skills = {r.skill.id: r.skill for r in accepted}
    write_nodes(conn, NodeKind.SKILL, skills.values(), now, embedded=True)
    current = {
        (row[0], row[1]): row[2]
        for row in select_in(
            conn,
            "SELECT src, dst, props FROM edges WHERE src IN ({ids}) AND type = 'REQUIRES_SKILL'",
            (r.occupation_id for r in accepted),
        )
    }
    counts = Counts()
    writes = []
    for r in accepted:
        edge = mapping.requirement_edge(r)
        key = (edge.source, edge.target)
        if key not in current:
            counts.created += 1
        elif current[key] != edge.props:
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        writes.append(
            (edge.source, EdgeType.REQUIRES_SKILL.value, edge.target, edge.owner, edge.props)
        )
    conn.executemany(
        "INSERT INTO edges (src, type, dst, owner, props) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (src, type, dst) DO UPDATE SET props = excluded.props",
        writes,
    )
    # An upsert's rowcount counts its updates with its inserts; `current` holds every stored
    # pair of these occupations, so the pairs it lacks are the edges inserted.
    graph_counts.move(conn, "edges", len({(w[0], w[2]) for w in writes} - current.keys()))
    return counts, rejected


@dataclass(slots=True)
class Replaced(Counts):
    deleted: int = 0


def replace_requirements(
    conn: sqlite3.Connection,
    owner: str,
    occupation_ids: Iterable[str],
    batch: Sequence[SkillRequirement],
    now: str,
) -> tuple[Replaced, list[RejectedRecord]]:
    """See `CatalogueWriter.replace_skill_requirements`: every stored requirement of the
    occupations covered is read once, so a replacement costs what an upsert of it does."""
    covered = list(dict.fromkeys([*occupation_ids, *(r.occupation_id for r in batch)]))
    known = {
        r[0] for r in select_in(conn, "SELECT id FROM occupations WHERE id IN ({ids})", covered)
    }
    rejected = mapping.unknown_occupations(batch, known)
    stated: dict[tuple[str, str], EdgeRow] = {}
    for r in batch:
        if r.occupation_id in known:  # of a pair stated twice, the first is kept
            stated.setdefault((r.occupation_id, r.skill.id), mapping.requirement_edge(r, owner))
    skills = {r.skill.id: r.skill for r in batch if r.occupation_id in known}
    write_nodes(conn, NodeKind.SKILL, skills.values(), now, embedded=True)
    current = {
        (row[0], row[1]): (row[2], row[3])
        for row in select_in(
            conn,
            "SELECT src, dst, owner, props FROM edges "
            "WHERE src IN ({ids}) AND type = 'REQUIRES_SKILL'",
            list(known),
        )
    }
    counts = Replaced()
    writes = []
    for key, edge in stated.items():
        if key not in current:
            counts.created += 1
        elif current[key] != (edge.owner, edge.props):
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        writes.append((edge.source, EdgeType.REQUIRES_SKILL.value, edge.target, owner, edge.props))
    # An edge owned by its occupation was stored before requirements had owners.
    stale = [
        key
        for key, (edge_owner, _) in current.items()
        if key not in stated and edge_owner in (owner, key[0])
    ]
    removed = conn.executemany(
        "DELETE FROM edges WHERE src = ? AND type = 'REQUIRES_SKILL' AND dst = ?", stale
    )
    graph_counts.deleted(conn, "edges", removed)
    counts.deleted = len(stale)
    conn.executemany(
        "INSERT INTO edges (src, type, dst, owner, props) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (src, type, dst) DO UPDATE SET owner = excluded.owner, "
        "props = excluded.props",
        writes,
    )
    graph_counts.move(conn, "edges", sum(1 for w in writes if (w[0], w[2]) not in current))
    return counts, rejected


def upsert_sources(conn: sqlite3.Connection, batch: Sequence[Source]) -> Counts:
    existing = {
        r[0]: r[1]
        for r in select_in(
            conn, "SELECT id, content_hash FROM sources WHERE id IN ({ids})", (s.id for s in batch)
        )
    }
    counts = Counts()
    for s in batch:
        digest = codec.content_hash(s)
        if existing.get(s.id) == digest:
            counts.unchanged += 1
            continue
        if s.id in existing:
            counts.updated += 1
        else:
            counts.created += 1
        conn.execute(
            "INSERT INTO sources (id, format, content_hash, doc) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET format = excluded.format, "
            "content_hash = excluded.content_hash, doc = excluded.doc",
            (s.id, s.format, digest, codec.dumps(s)),
        )
    return counts


def record_crawl_run(conn: sqlite3.Connection, run: CrawlRun) -> None:
    """Insert the run, or replace its record while that says RUNNING: an ended run's record
    is final (a holder that lost its lease must not overwrite what the next holder wrote)."""
    conn.execute(
        "INSERT INTO crawl_runs (id, source_id, status, started_at, finished_at, doc) "
        "VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET source_id = excluded.source_id, "
        "status = excluded.status, started_at = excluded.started_at, "
        "finished_at = excluded.finished_at, doc = excluded.doc "
        "WHERE crawl_runs.status = ?",
        (
            run.id,
            run.source_id,
            run.status.value,
            run.started_at.isoformat(),
            run.finished_at.isoformat() if run.finished_at else None,
            codec.dumps(run),
            CrawlStatus.RUNNING.value,
        ),
    )


def mark_missed(
    conn: sqlite3.Connection, source_id: str, seen_ids: Iterable[str], threshold: int, now: str
) -> StaleReport:
    """Only rows whose state changes are written: an unchanged re-crawl writes nothing here
    but the source's last-run time."""
    seen = set(seen_ids)
    rows = conn.execute(
        "SELECT c.id, c.miss_count, c.stale FROM credentials c "
        "WHERE c.id IN (SELECT record_id FROM provenance WHERE source_id = ?)",
        (source_id,),
    ).fetchall()
    missed = [(cid, misses + 1, stale) for cid, misses, stale in rows if cid not in seen]
    revived = [cid for cid, misses, _ in rows if cid in seen and misses > 0]
    conn.executemany(
        "UPDATE credentials SET miss_count = ?, stale = ? WHERE id = ?",
        [(misses, int(stale or misses >= threshold), cid) for cid, misses, stale in missed],
    )
    conn.executemany(
        "UPDATE credentials SET miss_count = 0, stale = 0, last_seen = ? WHERE id = ?",
        [(now, cid) for cid in revived],
    )
    conn.execute("UPDATE sources SET last_full_run = ? WHERE id = ?", (now, source_id))
    newly_stale = sum(1 for _, misses, stale in missed if not stale and misses >= threshold)
    return StaleReport(missed=len(missed), newly_stale=newly_stale, revived=len(revived))
