"""SQLite schema and migrations, versioned with `PRAGMA user_version`.

Each node kind has its own table (flat columns for filters and sorts, the full record as JSON
in `doc`, or for credentials in `credential_docs`); foreign keys hold where a reference must exist (a credential's issuer, its versions
and provenance); all relationships live in one `edges` table keyed (src, type, dst) with a reverse
index, so one-hop queries are two index range scans. Full-text search uses one FTS5 table per
searchable kind whose rowid is the node row's rowid.
"""

from __future__ import annotations

import json
import sqlite3

from credgraph.errors import SchemaVersionError
from credgraph.model import codec
from credgraph.model.fingerprint import fingerprint
from credgraph.model.records import Credential, Issuer, Occupation, Skill
from credgraph.store.sqlite.graph_counts import GRAPH_COUNTS
from credgraph.store.sqlite.link_index import EDGES_CREDENTIAL_LINKS
from credgraph.store.sqlite.type_index import CREDENTIALS_TYPE_INDEXES
from credgraph.store.sqlite.version import SEARCH_VERSIONS

_NODE_FIRST = """
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    stub INTEGER NOT NULL DEFAULT 0,
    content_hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL
"""
# The JSON document is always the last column: SQLite reads a row's columns in order, and a
# large document before a filtered column would send every filtered scan through overflow pages.
_DOC_LAST = "doc TEXT NOT NULL"

_V1 = f"""
CREATE TABLE issuers ({_NODE_FIRST}, country TEXT, ctid TEXT, url TEXT, {_DOC_LAST});
CREATE INDEX issuers_name ON issuers(name_key, id);
CREATE INDEX issuers_ctid ON issuers(ctid) WHERE ctid IS NOT NULL;

CREATE TABLE skills ({_NODE_FIRST}, framework TEXT, uri TEXT, code TEXT, {_DOC_LAST});
CREATE INDEX skills_name ON skills(name_key, id);
CREATE INDEX skills_framework ON skills(framework, name_key);

CREATE TABLE occupations ({_NODE_FIRST}, framework TEXT, uri TEXT, code TEXT, {_DOC_LAST});
CREATE INDEX occupations_name ON occupations(name_key, id);
CREATE INDEX occupations_code ON occupations(code) WHERE code IS NOT NULL;

CREATE TABLE credentials (
    {_NODE_FIRST},
    type TEXT NOT NULL,
    ctid TEXT,
    url TEXT,
    issuer_id TEXT REFERENCES issuers (id),
    language TEXT,
    cost_amount REAL,
    cost_currency TEXT,
    duration_hours REAL,
    transparency REAL NOT NULL,
    skill_count INTEGER NOT NULL,
    occupation_count INTEGER NOT NULL,
    source_id TEXT,
    last_seen TEXT NOT NULL,
    miss_count INTEGER NOT NULL DEFAULT 0,
    stale INTEGER NOT NULL DEFAULT 0
);
-- Credential documents live apart, keyed by the credential's rowid: filtered counts and
-- scans over 100k credentials then read a narrow table instead of every document.
CREATE TABLE credential_docs (rowid INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE INDEX credentials_name ON credentials(name_key, id);
CREATE INDEX credentials_cost ON credentials(cost_amount, id);
CREATE INDEX credentials_hours ON credentials(duration_hours, id);
CREATE INDEX credentials_transparency ON credentials(transparency, id);
CREATE INDEX credentials_skill_count ON credentials(skill_count, id);
CREATE INDEX credentials_occupation_count ON credentials(occupation_count, id);
CREATE INDEX credentials_last_seen ON credentials(last_seen, id);
CREATE INDEX credentials_issuer ON credentials(issuer_id);
CREATE UNIQUE INDEX credentials_ctid ON credentials(ctid) WHERE ctid IS NOT NULL;
CREATE INDEX credentials_url ON credentials(url) WHERE url IS NOT NULL;

CREATE TABLE edges (
    src TEXT NOT NULL,
    type TEXT NOT NULL,
    dst TEXT NOT NULL,
    owner TEXT NOT NULL,
    props TEXT,
    PRIMARY KEY (src, type, dst)
) WITHOUT ROWID;
CREATE INDEX edges_reverse ON edges(dst, type, src);

CREATE TABLE provenance (
    record_id TEXT NOT NULL,
    source_id TEXT NOT NULL,
    url TEXT NOT NULL,
    format TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    content_hash TEXT,
    licence TEXT,
    PRIMARY KEY (record_id, source_id, url),
    FOREIGN KEY (record_id) REFERENCES credentials (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX provenance_source ON provenance(source_id, record_id);

CREATE TABLE credential_versions (
    seq INTEGER PRIMARY KEY,
    credential_id TEXT NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    changed_at TEXT NOT NULL,
    changes TEXT NOT NULL
);
CREATE INDEX credential_versions_credential ON credential_versions(credential_id, seq);

CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    doc TEXT NOT NULL,
    last_full_run TEXT
);

CREATE TABLE crawl_runs (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    doc TEXT NOT NULL
);
CREATE INDEX crawl_runs_source ON crawl_runs(source_id, started_at);
CREATE INDEX crawl_runs_started ON crawl_runs(started_at);

CREATE VIRTUAL TABLE credentials_fts USING fts5(name, body, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE issuers_fts USING fts5(name, body, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE skills_fts USING fts5(name, body, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE occupations_fts USING fts5(name, body, tokenize='unicode61 remove_diacritics 2');
"""

_V2 = """
CREATE TABLE documents (
    source_id TEXT NOT NULL,
    url TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (source_id, url)
) WITHOUT ROWID;
"""

# Scheduler leases: who crawls a source now, until when (Unix seconds). One row per name.
_V3 = """
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    acquired_at REAL NOT NULL,
    expires_at REAL NOT NULL
) WITHOUT ROWID;
"""

# A counter bumped by every write that changes the graph (`store.sqlite.version`): readers key
# what they cache over the whole graph on it, across connections and processes, for the price
# of reading one row.
_V4 = """
CREATE TABLE graph_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    credentials INTEGER NOT NULL
);
INSERT INTO graph_version (id, credentials) VALUES (1, 0);
CREATE TABLE pathways (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE pathway_members (
    credential_id TEXT NOT NULL,
    pathway_id TEXT NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
    PRIMARY KEY (credential_id, pathway_id)
) WITHOUT ROWID;
CREATE INDEX edges_credential_links ON edges(type, src, dst)
    WHERE type IN ('PREPARES_FOR_CREDENTIAL', 'PART_OF', 'ADVANCED_STANDING', 'PUBLISHED_PATHWAY');
"""

# Job postings (store.jobs): their own table, and their links in `posting_links` rather than
# `edges`, so credential reads, exports and checks over `edges` see no new edge kinds.
# `kind` is 'skill', 'occupation' or 'credential'; `skill_count` is what demand by skill
# coverage divides by; `valid_through` is ISO 8601 UTC, compared as text.
_V5 = f"""
CREATE TABLE job_postings (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    employer_id TEXT,
    url TEXT,
    valid_through TEXT,
    source_id TEXT,
    skill_count INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    miss_count INTEGER NOT NULL DEFAULT 0,
    stale INTEGER NOT NULL DEFAULT 0,
    provenance TEXT,
    {_DOC_LAST}
);
CREATE INDEX job_postings_title ON job_postings(title_key, id);
CREATE INDEX job_postings_employer ON job_postings(employer_id);
CREATE INDEX job_postings_source ON job_postings(source_id);
CREATE INDEX job_postings_active ON job_postings(stale, valid_through);
CREATE TABLE posting_links (
    posting_id TEXT NOT NULL REFERENCES job_postings (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    props TEXT,
    PRIMARY KEY (posting_id, kind, target)
) WITHOUT ROWID;
CREATE INDEX posting_links_target ON posting_links(target, kind, posting_id);
CREATE VIRTUAL TABLE job_postings_fts USING fts5(name, body, tokenize='unicode61 remove_diacritics 2');
"""

# Every sort index of credentials also carries the flat filter columns: a filtered page, and
# the bounded count beside it, then read the index alone instead of fetching each row it
# passes to test a column (random reads that miss the cache past ~100k credentials).
_FILTERED = ("type", "stale", "cost_amount", "duration_hours", "transparency")
_SORTS = {
    "credentials_name": "name_key",
    "credentials_cost": "cost_amount",
    "credentials_hours": "duration_hours",
    "credentials_transparency": "transparency",
    "credentials_skill_count": "skill_count",
    "credentials_occupation_count": "occupation_count",
    "credentials_last_seen": "last_seen",
}
_V6 = ";\n".join(
    f"DROP INDEX {name};\nCREATE INDEX {name} ON credentials("
    + ", ".join([column, "id", *(c for c in _FILTERED if c != column)])
    + ")"
    for name, column in _SORTS.items()
)

# A bulk load into an empty store (store/sqlite/bulk.py) keeps here the indexes it drops until
# its end, and the links of the credentials it adds, in arrival order, until it sorts them
# into `edges`; both are empty outside a load.
_V7 = """
CREATE TABLE IF NOT EXISTS deferred_indexes (name TEXT PRIMARY KEY, sql TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS staged_edges (
    src TEXT NOT NULL,
    type TEXT NOT NULL,
    dst TEXT NOT NULL,
    owner TEXT NOT NULL,
    props TEXT
);
"""

# Each credential's and node's fingerprint (model/fingerprint.py), compared with an incoming
# record's to find it unchanged without encoding its document. Stores from before get theirs
# computed from the stored documents; a document that no longer decodes leaves NULL, which
# matches nothing, so that record is written again at its next upsert.
_V8 = """
ALTER TABLE credentials ADD COLUMN fingerprint BLOB;
UPDATE credentials SET fingerprint = record_fingerprint(
    'credential', (SELECT d.doc FROM credential_docs d WHERE d.rowid = credentials.rowid)
);
ALTER TABLE issuers ADD COLUMN fingerprint BLOB;
UPDATE issuers SET fingerprint = record_fingerprint('issuer', doc);
ALTER TABLE skills ADD COLUMN fingerprint BLOB;
UPDATE skills SET fingerprint = record_fingerprint('skill', doc);
ALTER TABLE occupations ADD COLUMN fingerprint BLOB;
UPDATE occupations SET fingerprint = record_fingerprint('occupation', doc)
"""

# The graph's counts (`reads.stats`) read the stale credentials through this instead of
# every credential; the edges whose ends may be missing through `edges_maybe_dangling`, made
# by step 12 (`link_index.py`) with the credential links' index, so that an upgrade builds
# each index over every edge once (three scans of 11 million edges, 11.7 s at a million).
_V11 = """
CREATE INDEX IF NOT EXISTS credentials_stale ON credentials(stale) WHERE stale = 1
"""

MIGRATIONS: list[str] = [
    *(_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, CREDENTIALS_TYPE_INDEXES),
    SEARCH_VERSIONS,  # step 10: store/sqlite/version.py
    _V11,
    EDGES_CREDENTIAL_LINKS,  # step 12: store/sqlite/link_index.py
    GRAPH_COUNTS,  # step 13: store/sqlite/graph_counts.py
]
SCHEMA_VERSION = len(MIGRATIONS)


_RECORD_TYPES: dict[str, type] = {
    "credential": Credential,
    "issuer": Issuer,
    "skill": Skill,
    "occupation": Occupation,
}


def _fingerprint_of_document(kind: str, doc: str | None) -> bytes | None:
    """The fingerprint of the record a stored document holds (NULL if it does not decode)."""
    if doc is None:
        return None
    try:
        return fingerprint(codec.from_json(_RECORD_TYPES[kind], json.loads(doc)))
    except Exception:  # raised here, it would abort the whole migration
        return None


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the database to SCHEMA_VERSION; each step runs in its own transaction."""
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    conn.create_function("record_fingerprint", 2, _fingerprint_of_document, deterministic=True)
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"database schema version {version} is newer than this credgraph understands "
            f"({SCHEMA_VERSION}); upgrade credgraph"
        )
    for step in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Two processes opening a new file at once both read the old version above; the
            # second gets the write lock after the first migrated, and must not migrate again.
            (current,) = conn.execute("PRAGMA user_version").fetchone()
            if current > step:
                conn.execute("COMMIT")
                continue
            # executescript would commit our transaction first; run statements one by one.
            for statement in MIGRATIONS[step].split(";\n"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step + 1}")  # an int we own, not input
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
