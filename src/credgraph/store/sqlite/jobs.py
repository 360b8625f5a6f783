"""Job postings in the SQLite store: writes (inside the caller's transaction) and reads (on a
reader connection). Tables: `job_postings`, `posting_links`, `job_postings_fts` (schema v5).

A posting's links are replaced whole when its content changes; the nodes it mentions are
created as stubs when missing, as a credential's are (`writes.write_nodes(embedded=True)`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from credgraph.model import codec
from credgraph.model.batches import last_per_id
from credgraph.model.ids import normalise_label
from credgraph.model.jobs import JobPosting, as_utc, validate_posting
from credgraph.model.records import Issuer, Occupation, Provenance, Skill
from credgraph.model.values import NodeKind
from credgraph.model.views import Page, RejectedRecord, StaleReport
from credgraph.store.equivalence import COMPUTED, STATED_SCORE
from credgraph.store.jobs import DemandCounts, PostingFilter, PostingView
from credgraph.store.mapping import document
from credgraph.store.query import NAME_SORT, Cursor, check_page_size, name_cursor
from credgraph.store.sqlite.reads import fts_query
from credgraph.store.sqlite.sql import SKILL_LINK_TYPES, json_ids, select_in
from credgraph.store.sqlite.writes import Counts, write_nodes

SKILL, OCCUPATION, CREDENTIAL = "skill", "occupation", "credential"
_KIND_OF = {NodeKind.SKILL: SKILL, NodeKind.OCCUPATION: OCCUPATION, NodeKind.CREDENTIAL: CREDENTIAL}
_ACTIVE = "p.stale = 0 AND (p.valid_through IS NULL OR p.valid_through > ?)"


def stamp(at: datetime) -> str:
    return as_utc(at).isoformat(timespec="microseconds")


def _props(method: str | None, confidence: float | None) -> str | None:
    found = {k: v for k, v in (("method", method), ("confidence", confidence)) if v is not None}
    return json.dumps(found, sort_keys=True) if found else None


def _links(p: JobPosting, credential_ids: set[str]) -> list[tuple[str, str, str, str | None]]:
    rows = [(p.id, SKILL, s.skill.id, _props(s.method, s.confidence)) for s in p.skills]
    rows += [
        (p.id, OCCUPATION, o.occupation.id, _props(o.method, o.confidence)) for o in p.occupations
    ]
    rows += [(p.id, CREDENTIAL, c, None) for c in dict.fromkeys(p.asked_ids) if c in credential_ids]
    return list({(r[1], r[2]): r for r in rows}.values())


def upsert(
    conn: sqlite3.Connection, batch: Iterable[JobPosting], now: str
) -> tuple[Counts, list[RejectedRecord]]:
    counts, rejected = Counts(), []
    postings = last_per_id(batch)
    existing = {
        r[0]: r[1]
        for r in select_in(
            conn,
            "SELECT id, content_hash FROM job_postings WHERE id IN ({ids})",
            [p.id for p in postings],
        )
    }
    changed: list[tuple[JobPosting, str, str]] = []
    for p in postings:
        doc, digest = document(p)
        if existing.get(p.id) == digest:
            counts.unchanged += 1
            continue
        problems = validate_posting(p)
        if problems:
            rejected.append(RejectedRecord("job posting", p.id, tuple(problems)))
            continue
        changed.append((p, doc, digest))
    if not changed:
        return counts, rejected
    _write_mentions(conn, [p for p, _, _ in changed], now)
    asked = {c for p, _, _ in changed for c in p.asked_ids}
    known = {r[0] for r in select_in(conn, "SELECT id FROM credentials WHERE id IN ({ids})", asked)}
    old = {
        r[0]: r[1]
        for r in select_in(
            conn,
            "SELECT id, rowid FROM job_postings WHERE id IN ({ids})",
            [p.id for p, _, _ in changed],
        )
    }
    for p, doc, digest in changed:
        row = (
            p.title,
            normalise_label(p.title),
            p.employer.id if p.employer else None,
            p.url,
            stamp(p.valid_through) if p.valid_through else None,
            p.provenance.source_id if p.provenance else None,
            len(p.skills),
            digest,
            codec.dumps(p.provenance) if p.provenance else None,
            doc,
        )
        if p.id in old:
            counts.updated += 1
            conn.execute(
                "UPDATE job_postings SET title = ?, title_key = ?, employer_id = ?, url = ?, "
                "valid_through = ?, source_id = coalesce(?, source_id), skill_count = ?, "
                "content_hash = ?, provenance = ?, doc = ?, last_seen = ?, miss_count = 0, stale = 0 "
                "WHERE id = ?",
                (*row, now, p.id),
            )
            rowid = old[p.id]
            conn.execute("DELETE FROM job_postings_fts WHERE rowid = ?", (rowid,))
            conn.execute("DELETE FROM posting_links WHERE posting_id = ?", (p.id,))
        else:
            counts.created += 1
            cursor = conn.execute(
                "INSERT INTO job_postings (title, title_key, employer_id, url, valid_through, "
                "source_id, skill_count, content_hash, provenance, doc, id, first_seen, last_seen) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*row, p.id, now, now),
            )
            rowid = cursor.lastrowid
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
        conn.execute(
            "INSERT INTO job_postings_fts (rowid, name, body) VALUES (?, ?, ?)",
            (rowid, p.title, body[:20_000]),
        )
        conn.executemany(
            "INSERT INTO posting_links (posting_id, kind, target, props) VALUES (?, ?, ?, ?)",
            _links(p, known),
        )
    return counts, rejected


def _write_mentions(conn: sqlite3.Connection, postings: Sequence[JobPosting], now: str) -> None:
    employers: dict[str, Issuer] = {}
    skills: dict[str, Skill] = {}
    occupations: dict[str, Occupation] = {}
    for p in postings:
        if p.employer is not None:
            employers.setdefault(p.employer.id, p.employer)
        skills.update((s.skill.id, s.skill) for s in p.skills if s.skill.id not in skills)
        occupations.update(
            (o.occupation.id, o.occupation)
            for o in p.occupations
            if o.occupation.id not in occupations
        )
    write_nodes(conn, NodeKind.ISSUER, employers.values(), now, embedded=True)
    write_nodes(conn, NodeKind.SKILL, skills.values(), now, embedded=True)
    write_nodes(conn, NodeKind.OCCUPATION, occupations.values(), now, embedded=True)


def mark_missed(
    conn: sqlite3.Connection, source_id: str, seen_ids: Iterable[str], threshold: int, now: str
) -> StaleReport:
    seen = set(seen_ids)
    rows = conn.execute(
        "SELECT id, miss_count, stale FROM job_postings WHERE source_id = ?", (source_id,)
    ).fetchall()
    missed = [(pid, misses + 1, stale) for pid, misses, stale in rows if pid not in seen]
    revived = [pid for pid, misses, _ in rows if pid in seen and misses > 0]
    conn.executemany(
        "UPDATE job_postings SET miss_count = ?, stale = ? WHERE id = ?",
        [(misses, int(stale or misses >= threshold), pid) for pid, misses, stale in missed],
    )
    conn.executemany(
        "UPDATE job_postings SET miss_count = 0, stale = 0, last_seen = ? WHERE id = ?",
        [(now, pid) for pid in revived],
    )
    newly = sum(1 for _, misses, stale in missed if not stale and misses >= threshold)
    return StaleReport(missed=len(missed), newly_stale=newly, revived=len(revived))


# -- reads ---------------------------------------------------------------------------------
def _view(doc: str, stale: int, provenance: str | None) -> PostingView:
    posting = codec.from_json(JobPosting, json.loads(doc))
    if provenance:
        posting = replace(posting, provenance=codec.from_json(Provenance, json.loads(provenance)))
    return PostingView(posting, bool(stale))


def get(conn: sqlite3.Connection, ids: Sequence[str]) -> list[PostingView]:
    rows = conn.execute(
        "SELECT p.id, p.doc, p.stale, p.provenance FROM job_postings p "
        "WHERE p.id IN (SELECT value FROM json_each(?))",
        (json_ids(ids),),
    ).fetchall()
    found = {r[0]: _view(r[1], r[2], r[3]) for r in rows}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def list_page(
    conn: sqlite3.Connection,
    filter: PostingFilter | None,
    first: int,
    after: str | None,
    at: datetime,
) -> Page[PostingView]:
    check_page_size(first)
    cursor = name_cursor(after)
    f = filter or PostingFilter()
    clauses: list[str] = []
    params: list[Any] = []
    if f.text is not None:
        query = fts_query(f.text)
        clauses.append(
            "p.rowid IN (SELECT rowid FROM job_postings_fts WHERE job_postings_fts MATCH ?)"
            if query
            else "0"
        )
        params += [query] if query else []
    for kind, ids in ((SKILL, f.skills), (OCCUPATION, f.occupations)):
        if ids:
            clauses.append(
                "p.id IN (SELECT posting_id FROM posting_links WHERE kind = ? AND "
                "target IN (SELECT value FROM json_each(?)))"
            )
            params += [kind, json_ids(ids)]
    if f.employer is not None:
        clauses.append("p.employer_id = ?")
        params.append(f.employer)
    if f.active is not None:
        clauses.append(f"({_ACTIVE})" if f.active else f"NOT ({_ACTIVE})")
        params.append(stamp(at))
    where = " AND ".join(clauses) or "1"
    (total,) = conn.execute(f"SELECT count(*) FROM job_postings p WHERE {where}", params).fetchone()
    if cursor is not None:
        where += " AND (p.title_key, p.id) > (?, ?)"
        params = [*params, cursor.value, cursor.id]
    rows = conn.execute(
        f"SELECT p.id, p.title_key, p.doc, p.stale, p.provenance FROM job_postings p "
        f"WHERE {where} "
        "ORDER BY p.title_key, p.id LIMIT ?",
        (*params, first + 1),
    ).fetchall()
    page = rows[:first]
    cursors = tuple(Cursor(NAME_SORT, False, r[1], r[0]).encode() for r in page)
    return Page(
        items=tuple(_view(r[2], r[3], r[4]) for r in page),
        cursors=cursors,
        end_cursor=cursors[-1] if cursors else after,
        has_next_page=len(rows) > first,
        total_count=int(total),
    )


# A SAME_AS edge `e` that counts: stated (not owned by a computation), or computed with a
# score of at least the bound `min_confidence`. Parameters: the computed owner pattern, the score.
_COUNTS = "(e.owner NOT LIKE ? OR json_extract(e.props, '$.score') >= ?)"


def demand(
    conn: sqlite3.Connection,
    kind: NodeKind,
    ids: Sequence[str],
    at: datetime,
    min_confidence: float = STATED_SCORE,
) -> DemandCounts:
    when = stamp(at)
    (active,) = conn.execute(
        f"SELECT count(*) FROM job_postings p WHERE {_ACTIVE}", (when,)
    ).fetchone()
    by_id = dict.fromkeys(ids, 0)
    if not active or not by_id:
        return DemandCounts(int(active), by_id)
    counts = (COMPUTED + "%", min_confidence)
    if kind is NodeKind.CREDENTIAL:
        for cid in by_id:
            by_id[cid] = _credential_demand(conn, cid, when, counts)
        return DemandCounts(int(active), by_id)
    # Each asked node stands for itself and the nodes a counting SAME_AS edge joins to it,
    # either way; a posting requiring two of them counts once. CROSS JOIN keeps the asked
    # nodes as the outer loop (as in `_credential_demand`).
    rows = conn.execute(
        f"""
        WITH asked(id) AS (SELECT value FROM json_each(?)),
        alike(id, target) AS (
            SELECT id, id FROM asked
            UNION SELECT a.id, e.dst FROM asked a
                JOIN edges e ON e.src = a.id AND e.type = 'SAME_AS' WHERE {_COUNTS}
            UNION SELECT a.id, e.src FROM asked a
                JOIN edges e ON e.dst = a.id AND e.type = 'SAME_AS' WHERE {_COUNTS}
        )
        SELECT x.id, count(DISTINCT l.posting_id) FROM alike x
        CROSS JOIN posting_links l ON l.target = x.target AND l.kind = ?
        CROSS JOIN job_postings p ON p.id = l.posting_id
        WHERE {_ACTIVE} GROUP BY x.id""",
        (json_ids(by_id), *counts, *counts, _KIND_OF[kind], when),
    ).fetchall()
    by_id.update({r[0]: int(r[1]) for r in rows})
    return DemandCounts(int(active), by_id)


def _credential_demand(
    conn: sqlite3.Connection, cid: str, when: str, counts: tuple[str, float]
) -> int:
    """Active postings asking for `cid`, or whose required skills it covers at least half of
    (each posting counted once): a required skill is covered when `cid` teaches or assesses
    it or a skill a counting SAME_AS edge joins to it."""
    # CROSS JOIN keeps the few candidate postings as the outer loop: the planner would
    # otherwise walk every active posting through the index on (stale, valid_through).
    (count,) = conn.execute(
        f"""
        WITH taught(skill) AS (
            SELECT dst FROM edges WHERE src = ? AND type IN {SKILL_LINK_TYPES}),
        covered(skill) AS (
            SELECT skill FROM taught
            UNION SELECT e.dst FROM taught t
                JOIN edges e ON e.src = t.skill AND e.type = 'SAME_AS' WHERE {_COUNTS}
            UNION SELECT e.src FROM taught t
                JOIN edges e ON e.dst = t.skill AND e.type = 'SAME_AS' WHERE {_COUNTS}
        )
        SELECT count(*) FROM (
            SELECT posting_id FROM posting_links WHERE kind = 'credential' AND target = ?
            UNION
            SELECT l.posting_id FROM posting_links l JOIN job_postings q ON q.id = l.posting_id
            WHERE l.kind = 'skill' AND l.target IN (SELECT skill FROM covered)
            GROUP BY l.posting_id HAVING 2 * count(*) >= max(q.skill_count)
        ) AS c CROSS JOIN job_postings p ON p.id = c.posting_id WHERE {_ACTIVE}""",
        (cid, *counts, *counts, cid, when),
    ).fetchone()
    return int(count)


def credential_ids_by_name(conn: sqlite3.Connection, names: Sequence[str]) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for name in names:
        if isinstance(name, str) and name.strip():
            keys.setdefault(normalise_label(name), []).append(name)
    found: dict[str, list[str]] = {}
    for key, cid in select_in(
        conn, "SELECT name_key, id FROM credentials WHERE name_key IN ({ids}) ORDER BY id", keys
    ):
        for name in keys[key]:
            found.setdefault(name, []).append(cid)
    return found
