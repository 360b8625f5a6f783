"""Read queries for the SQLite store: views, lists, search, similarity, coverage, history."""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from credgraph.model import codec
from credgraph.model.crawl import CrawlRun, Source
from credgraph.model.ids import key_spellings
from credgraph.model.records import (
    Credential,
    Issuer,
    Occupation,
    OccupationLink,
    Provenance,
    Skill,
    SkillLink,
)
from credgraph.model.transparency import transparency_of
from credgraph.model.views import (
    CredentialChange,
    CredentialView,
    FieldChange,
    GraphStats,
    RequiredSkill,
    SimilarCredential,
    SkillCoverage,
)
from credgraph.store.projected import part_of_in_order
from credgraph.store.query import MAX_TEXT_WORDS
from credgraph.store.sqlite import graph_counts
from credgraph.store.sqlite.sql import (
    SKILL_LINK_TYPES,
    json_ids,
    select_in,
)

_WORD = re.compile(r"\w+", re.UNICODE)


MAX_WORDS = MAX_TEXT_WORDS
# A word past this matches no word a catalogue writes; cut, it cannot make the word counts
# and rankings a store keeps hold megabytes of one client's text.
MAX_WORD_CHARS = 100


def words_of(text: str) -> list[str]:
    """The words of user text an FTS5 query matches (at most `MAX_WORDS`, each cut to
    `MAX_WORD_CHARS`)."""
    return [w[:MAX_WORD_CHARS] for w in _WORD.findall(text or "")[:MAX_WORDS]]


def fts_query(text: str) -> str | None:
    """User text as an FTS5 query of quoted words, all required, the last one as a prefix.
    Nothing the user types is read as FTS5 syntax. None when there is no word to match."""
    words = words_of(text)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


@functools.lru_cache(maxsize=50_000)
def decode_node(cls: type, doc: str) -> Any:
    """Records decoded from their stored document, cached by the document itself: the key is
    the content, so a changed record can never be served stale. Skills and issuers recur
    across most credential views."""
    return codec.from_json(cls, json.loads(doc))


@functools.lru_cache(maxsize=10_000)
def _decode_credential(doc: str) -> Credential:
    return codec.from_json(Credential, json.loads(doc))


def _decode_nodes(
    conn: sqlite3.Connection, table: str, cls: type, ids: Sequence[str]
) -> dict[str, Any]:
    rows = select_in(conn, f"SELECT id, doc FROM {table} WHERE id IN ({{ids}})", ids)
    return {r[0]: decode_node(cls, r[1]) for r in rows}


def get_issuers(conn: sqlite3.Connection, ids: Sequence[str]) -> list[Issuer]:
    found = _decode_nodes(conn, "issuers", Issuer, ids)
    return [found[i] for i in ids if i in found]


def get_skills(conn: sqlite3.Connection, ids: Sequence[str]) -> list[Skill]:
    found = _decode_nodes(conn, "skills", Skill, ids)
    return [found[i] for i in ids if i in found]


def get_occupations(conn: sqlite3.Connection, ids: Sequence[str]) -> list[Occupation]:
    found = _decode_nodes(conn, "occupations", Occupation, ids)
    return [found[i] for i in ids if i in found]


def get_credentials(conn: sqlite3.Connection, ids: Sequence[str]) -> list[CredentialView]:
    rows = select_in(
        conn,
        "SELECT c.id, d.doc, c.first_seen, c.last_seen, c.stale, c.miss_count, s.last_full_run "
        "FROM credentials c JOIN credential_docs d ON d.rowid = c.rowid "
        "LEFT JOIN sources s ON s.id = c.source_id WHERE c.id IN ({ids})",
        ids,
    )
    if not rows:
        return []
    records = {r[0]: _decode_credential(r[1]) for r in rows}
    meta = {r[0]: r[2:] for r in rows}
    found = list(records)
    issuer_ids = [
        i.id
        for c in records.values()
        for i in ([c.issuer] if c.issuer else []) + list(c.accredited_by)
    ]
    issuers = _decode_nodes(conn, "issuers", Issuer, issuer_ids)
    skills = _decode_nodes(
        conn, "skills", Skill, [s.skill.id for c in records.values() for s in c.skills]
    )
    occupations = _decode_nodes(
        conn,
        "occupations",
        Occupation,
        [o.occupation.id for c in records.values() for o in c.occupations],
    )
    linked = [t for c in records.values() for t in (*c.part_of, *c.requires)]
    existing_links = {
        r[0] for r in select_in(conn, "SELECT id FROM credentials WHERE id IN ({ids})", linked)
    }
    children = _part_of_ends(conn, found, toward="dst")
    # what a credential is part of: its own statements, and the larger credentials' `hasPart`
    parents = _part_of_ends(conn, found, toward="src")
    provenance: dict[str, list[Provenance]] = {}
    for r in select_in(
        conn,
        "SELECT record_id, source_id, url, format, fetched_at, content_hash, licence "
        "FROM provenance WHERE record_id IN ({ids})",
        found,
    ):
        provenance.setdefault(r[0], []).append(
            Provenance(r[1], r[2], r[3], datetime.fromisoformat(r[4]), r[5], r[6])
        )
    views: dict[str, CredentialView] = {}
    for cid, c in records.items():
        first_seen, last_seen, stale, miss_count, source_run = meta[cid]
        if miss_count == 0 and source_run and source_run > last_seen:
            last_seen = source_run  # seen in the source's latest full run, unchanged
        views[cid] = CredentialView(
            credential=c,
            issuer=issuers.get(c.issuer.id) if c.issuer else None,
            skills=tuple(
                SkillLink(skills[s.skill.id], s.relation, s.method, s.confidence)
                for s in _unique(c.skills, lambda s: s.skill.id)
                if s.skill.id in skills
            ),
            occupations=tuple(
                OccupationLink(occupations[o.occupation.id], o.method, o.confidence)
                for o in _unique(c.occupations, lambda o: o.occupation.id)
                if o.occupation.id in occupations
            ),
            accredited_by=tuple(issuers[a.id] for a in c.accredited_by if a.id in issuers),
            part_of=part_of_in_order(c.part_of, parents.get(cid, ())),
            has_part=tuple(sorted(children.get(cid, []))),
            requires=tuple(t for t in dict.fromkeys(c.requires) if t in existing_links),
            transparency=transparency_of(c),
            provenance=tuple(sorted(provenance.get(cid, []), key=lambda p: (p.source_id, p.url))),
            first_seen=datetime.fromisoformat(first_seen),
            last_seen=datetime.fromisoformat(last_seen),
            stale=bool(stale),
        )
    return [views[i] for i in ids if i in views]


def _part_of_ends(
    conn: sqlite3.Connection, ids: Sequence[str], *, toward: Literal["src", "dst"]
) -> dict[str, list[str]]:
    """Per credential of `ids`, the stored credentials at the other end of its PART_OF links
    that end (`toward="dst"`: its parts) or start (`"src"`: what it is part of) at it."""
    mine, other = ("dst", "src") if toward == "dst" else ("src", "dst")
    ends: dict[str, list[str]] = {}
    for at, end in select_in(
        conn,
        # column names from the two spellings `toward` allows, never from input
        f"SELECT e.{mine}, e.{other} FROM edges e JOIN credentials c ON c.id = e.{other} "
        f"WHERE e.{mine} IN ({{ids}}) AND e.type = 'PART_OF'",
        ids,
    ):
        ends.setdefault(at, []).append(end)
    return ends


def _unique(items: Sequence[Any], key: Any) -> list[Any]:
    seen: dict[str, Any] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())


def resolve_credential_ids(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, str]:
    # A variant can come from several keys: two spellings of one URL asked together.
    variants: dict[str, list[str]] = {}
    for key in dict.fromkeys(keys):
        if not isinstance(key, str) or not key.strip():
            continue
        for variant in key_spellings(key):
            variants.setdefault(variant, []).append(key)
    out: dict[str, str] = {}
    for cid, ctid, url in _resolve_rows(conn, list(variants)):
        for value in (cid, ctid, url):
            for key in variants.get(value, ()):
                out.setdefault(key, cid)
    return {k: out[k] for k in keys if k in out}


def _resolve_rows(conn: sqlite3.Connection, candidates: list[str]) -> list[tuple[str, str, str]]:
    rows: list[Any] = []
    for sql in (
        "SELECT id, ctid, url FROM credentials WHERE id IN ({ids})",
        "SELECT id, ctid, url FROM credentials WHERE ctid IN ({ids})",
        "SELECT id, ctid, url FROM credentials WHERE url IN ({ids})",
    ):
        rows += select_in(conn, sql, candidates)
    return rows


def skill_sets(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, frozenset[str]]:
    known = [r[0] for r in select_in(conn, "SELECT id FROM credentials WHERE id IN ({ids})", ids)]
    sets: dict[str, set[str]] = {cid: set() for cid in known}
    for src, dst in select_in(
        conn,
        f"SELECT src, dst FROM edges WHERE src IN ({{ids}}) AND type IN {SKILL_LINK_TYPES}",
        known,
    ):
        sets[src].add(dst)
    return {k: frozenset(v) for k, v in sets.items()}


def similar(conn: sqlite3.Connection, cid: str, k: int) -> list[SimilarCredential]:
    mine = skill_sets(conn, [cid]).get(cid)
    if not mine or k <= 0:
        return []
    rows = conn.execute(
        f"""
        WITH mine AS (SELECT DISTINCT dst FROM edges WHERE src = ? AND type IN {SKILL_LINK_TYPES}),
        shared AS (
            SELECT e.src AS id, count(DISTINCT e.dst) AS n
            FROM mine JOIN edges e INDEXED BY edges_reverse ON e.dst = mine.dst
            WHERE e.type IN {SKILL_LINK_TYPES} AND e.src != ?
            GROUP BY e.src
        )
        SELECT s.id, s.n * 1.0 / (? + c.skill_count - s.n) AS score
        FROM shared s JOIN credentials c ON c.id = s.id
        ORDER BY score DESC, s.id LIMIT ?
        """,
        (cid, cid, len(mine), k),
    ).fetchall()
    others = skill_sets(conn, [r[0] for r in rows])
    return [SimilarCredential(r[0], r[1], tuple(sorted(mine & others[r[0]]))) for r in rows]


def occupation_required_skills_many(
    conn: sqlite3.Connection, ids: Sequence[str]
) -> dict[str, list[RequiredSkill]]:
    out: dict[str, list[RequiredSkill]] = {i: [] for i in ids}
    for occupation_id, skill_id, props in select_in(
        conn,
        "SELECT e.src, e.dst, e.props FROM edges e JOIN skills s ON s.id = e.dst "
        "WHERE e.src IN ({ids}) AND e.type = 'REQUIRES_SKILL'",
        list(out),
    ):
        p = json.loads(props) if props else {}
        out[occupation_id].append(RequiredSkill(skill_id, p.get("importance"), p.get("relation")))
    for required in out.values():
        required.sort(key=lambda r: (r.importance is None, -(r.importance or 0.0), r.skill_id))
    return out


def credentials_covering(
    conn: sqlite3.Connection, skill_ids: Sequence[str], limit: int
) -> list[SkillCoverage]:
    wanted = list(dict.fromkeys(skill_ids))
    if not wanted or limit <= 0:
        return []
    rows = conn.execute(
        f"SELECT e.src, count(DISTINCT e.dst) AS n, c.transparency, c.cost_amount "
        f"FROM edges e INDEXED BY edges_reverse JOIN credentials c ON c.id = e.src "
        f"WHERE e.dst IN (SELECT value FROM json_each(?)) AND e.type IN {SKILL_LINK_TYPES} "
        f"GROUP BY e.src "
        f"ORDER BY n DESC, c.transparency DESC, c.cost_amount IS NULL, c.cost_amount, e.src LIMIT ?",
        (json_ids(wanted), limit),
    ).fetchall()
    covered: dict[str, set[str]] = {r[0]: set() for r in rows}
    wanted_set = set(wanted)
    for src, dst in select_in(
        conn,
        f"SELECT src, dst FROM edges WHERE src IN ({{ids}}) AND type IN {SKILL_LINK_TYPES}",
        list(covered),
    ):
        if dst in wanted_set:
            covered[src].add(dst)
    return [SkillCoverage(r[0], frozenset(covered[r[0]]), r[2], r[3]) for r in rows]


STALE_COUNT = "SELECT count(*) FROM credentials WHERE stale = 1"  # credentials_stale


class KeptCounts:
    """The graph's counts as of one graph version, shared by a store's reader threads:
    between writes the answer is the same. The rows of each table and the edges without an
    end are the store's own (`graph_counts`), read in microseconds, or counted when they
    cannot be trusted (0.45 s for the edges at a million credentials); the stale credentials
    are counted through their partial index. Sources and crawl runs are counted each time
    (the crawl ledger moves no graph version, and they are few)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: tuple[int, tuple[int, ...]] | None = None

    def counts(self, conn: sqlite3.Connection) -> tuple[int, ...]:
        version, rows = graph_counts.kept(conn)
        with self._lock:
            if self._kept is not None and self._kept[0] == version:
                return self._kept[1]
        counted = _graph_counts(conn, rows)  # outside the lock: the dear part, if any
        with self._lock:
            self._kept = (version, counted)
        return counted


def _graph_counts(
    conn: sqlite3.Connection, rows: dict[graph_counts.Counted, int] | None
) -> tuple[int, ...]:
    """Issuers, credentials, skills, occupations, relationships, stale credentials; from the
    rows the store keeps, else counted."""

    if rows is None:
        rows = graph_counts.counted(conn)
    (stale,) = conn.execute(STALE_COUNT).fetchone()
    return (
        rows["issuers"],
        rows["credentials"],
        rows["skills"],
        rows["occupations"],
        rows["edges"] - rows["dangling"],
        int(stale),
    )


def stats(conn: sqlite3.Connection, kept: KeptCounts | None = None) -> GraphStats:
    issuers, credentials, skills, occupations, relationships, stale = (kept or KeptCounts()).counts(
        conn
    )
    [(sources,)] = conn.execute("SELECT count(*) FROM sources")
    [(crawl_runs,)] = conn.execute("SELECT count(*) FROM crawl_runs")
    return GraphStats(
        issuers=issuers,
        credentials=credentials,
        skills=skills,
        occupations=occupations,
        sources=int(sources),
        crawl_runs=int(crawl_runs),
        relationships=relationships,
        stale_credentials=stale,
    )


def credential_history_many(
    conn: sqlite3.Connection, ids: Sequence[str]
) -> dict[str, list[CredentialChange]]:
    out: dict[str, list[CredentialChange]] = {i: [] for i in ids}
    rows = select_in(
        conn,
        "SELECT credential_id, seq, changed_at, changes FROM credential_versions "
        "WHERE credential_id IN ({ids})",
        list(out),
    )
    for cid, _seq, at, changes in sorted(rows, key=lambda r: (r[0], r[1])):
        out[cid].append(
            CredentialChange(
                cid,
                datetime.fromisoformat(at),
                tuple(
                    FieldChange(c["field"], c.get("old"), c.get("new")) for c in json.loads(changes)
                ),
            )
        )
    return out


def list_sources(conn: sqlite3.Connection) -> list[Source]:
    return [
        codec.from_json(Source, json.loads(r[0]))
        for r in conn.execute("SELECT doc FROM sources ORDER BY id")
    ]


def crawl_runs(conn: sqlite3.Connection, source_id: str | None, limit: int) -> list[CrawlRun]:
    if source_id is None:
        rows = conn.execute(
            "SELECT doc FROM crawl_runs ORDER BY started_at DESC, id DESC LIMIT ?", (limit,)
        ).fetchall()
    else:
        rows = conn.execute(
            "SELECT doc FROM crawl_runs WHERE source_id = ? ORDER BY started_at DESC, id DESC LIMIT ?",
            (source_id, limit),
        ).fetchall()
    return [codec.from_json(CrawlRun, json.loads(r[0])) for r in rows]
