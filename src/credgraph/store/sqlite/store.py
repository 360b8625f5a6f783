"""The embedded default store: one SQLite file, WAL, FTS5.

Calls run on the event loop's thread: the queries take well under a millisecond, less than a
hop to a worker thread would cost. A long batch write blocks the loop for its duration, which
is what a crawl process wants; API processes only read.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from credgraph.errors import StoreError, StoreUnavailable
from credgraph.model import codec
from credgraph.model.crawl import CrawlRun, DocumentState, Source
from credgraph.model.lease import Lease
from credgraph.model.records import (
    Credential,
    Equivalence,
    Issuer,
    Occupation,
    Skill,
    SkillRequirement,
)
from credgraph.model.values import NodeKind
from credgraph.model.views import (
    CredentialChange,
    CredentialView,
    GraphStats,
    Page,
    RequiredSkill,
    SearchHit,
    SimilarCredential,
    SkillCoverage,
    StaleReport,
    UpsertReport,
)
from credgraph.store.base import GraphItem, GraphStore, last_per_id, partition_valid
from credgraph.store.check import CheckReport
from credgraph.store.query import SEARCHABLE, CredentialFilter, CredentialSort
from credgraph.store.sqlite import check as consistency
from credgraph.store.sqlite import equivalences, graph, listing, pages, reads, writes
from credgraph.store.sqlite import leases as lease_rows
from credgraph.store.sqlite import retention as run_retention
from credgraph.store.sqlite.connection import connect, reading, write_transaction
from credgraph.store.sqlite.schema import migrate


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class SQLiteStore(GraphStore):
    def __init__(
        self, path: Path, *, url: str | None = None, busy_timeout_ms: int = 10_000
    ) -> None:
        self.path = path
        self.url = url or f"sqlite:///{path}"
        self._busy_timeout_ms = busy_timeout_ms
        self._conn: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"store {self.url} is not open; use `async with open_store(...)`")
        return self._conn

    async def open(self) -> None:
        if self._conn is not None:
            return
        conn = connect(self.path, busy_timeout_ms=self._busy_timeout_ms)
        try:
            with reading(self.path):
                migrate(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    async def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    async def ping(self) -> None:
        try:
            self.conn.execute("SELECT 1").fetchone()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"SQLite store {self.path} does not answer: {exc}") from exc

    # -- writes --------------------------------------------------------------------------
    async def _upsert_nodes(self, kind: NodeKind, batch: Iterable[object]) -> UpsertReport:
        valid, rejected = partition_valid(batch)
        with write_transaction(self.conn, self.path) as conn:
            now = _now()
            c = writes.write_nodes(conn, kind, valid, now, embedded=False)  # type: ignore[arg-type]
            if kind is NodeKind.ISSUER:
                writes.upsert_accreditors(conn, valid, now)  # type: ignore[arg-type]
        return UpsertReport(c.created, c.updated, c.unchanged, tuple(rejected))

    async def upsert_issuers(self, batch: Iterable[Issuer]) -> UpsertReport:
        return await self._upsert_nodes(NodeKind.ISSUER, batch)

    async def upsert_skills(self, batch: Iterable[Skill]) -> UpsertReport:
        return await self._upsert_nodes(NodeKind.SKILL, batch)

    async def upsert_occupations(self, batch: Iterable[Occupation]) -> UpsertReport:
        return await self._upsert_nodes(NodeKind.OCCUPATION, batch)

    async def upsert_credentials(self, batch: Iterable[Credential]) -> UpsertReport:
        # Validation runs inside, after the content-hash check: a record equal to a stored
        # one was valid when stored, so an unchanged re-crawl costs no validation.
        with write_transaction(self.conn, self.path) as conn:
            c, rejected = writes.upsert_credentials(conn, last_per_id(batch), _now())
        return UpsertReport(c.created, c.updated, c.unchanged, tuple(rejected))

    async def upsert_skill_requirements(self, batch: Iterable[SkillRequirement]) -> UpsertReport:
        valid, rejected = partition_valid(batch)
        with write_transaction(self.conn, self.path) as conn:
            c, missing = writes.upsert_requirements(conn, valid, _now())
        return UpsertReport(c.created, c.updated, c.unchanged, (*rejected, *missing))

    async def upsert_sources(self, batch: Iterable[Source]) -> UpsertReport:
        with write_transaction(self.conn, self.path) as conn:
            c = writes.upsert_sources(conn, list(batch))
        return UpsertReport(c.created, c.updated, c.unchanged)

    async def record_crawl_run(self, run: CrawlRun) -> None:
        with write_transaction(self.conn, self.path) as conn:
            writes.record_crawl_run(conn, run)

    async def mark_missed(
        self, source_id: str, seen_ids: Iterable[str], threshold: int
    ) -> StaleReport:
        with write_transaction(self.conn, self.path) as conn:
            return writes.mark_missed(conn, source_id, seen_ids, threshold, _now())

    async def save_document_states(self, states: Sequence[DocumentState]) -> None:
        with write_transaction(self.conn, self.path) as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO documents (source_id, url, doc) VALUES (?, ?, ?)",
                [(s.source_id, s.url, codec.dumps(s)) for s in states],
            )

    async def document_states(self, source_id: str) -> dict[str, DocumentState]:
        with reading(self.path):
            rows = self.conn.execute(
                "SELECT url, doc FROM documents WHERE source_id = ?", (source_id,)
            ).fetchall()
        return {url: codec.from_json(DocumentState, json.loads(doc)) for url, doc in rows}

    # -- reads ---------------------------------------------------------------------------
    async def get_credentials(self, ids: Sequence[str]) -> list[CredentialView]:
        with reading(self.path):
            return reads.get_credentials(self.conn, ids)

    async def get_issuers(self, ids: Sequence[str]) -> list[Issuer]:
        with reading(self.path):
            return reads.get_issuers(self.conn, ids)

    async def get_skills(self, ids: Sequence[str]) -> list[Skill]:
        with reading(self.path):
            return reads.get_skills(self.conn, ids)

    async def get_occupations(self, ids: Sequence[str]) -> list[Occupation]:
        with reading(self.path):
            return reads.get_occupations(self.conn, ids)

    async def resolve_credential_ids(self, keys: Sequence[str]) -> dict[str, str]:
        with reading(self.path):
            return reads.resolve_credential_ids(self.conn, keys)

    async def list_credentials(
        self,
        filter: CredentialFilter | None = None,
        sort: CredentialSort | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Page[CredentialView]:
        with reading(self.path):
            return pages.list_credentials(self.conn, filter, sort, first, after)

    async def list_issuers(
        self,
        text: str | None = None,
        country: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Page[Issuer]:
        with reading(self.path):
            return listing.list_issuers(self.conn, text, country, first, after)

    async def list_skills(
        self,
        text: str | None = None,
        framework: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Page[Skill]:
        with reading(self.path):
            return listing.list_skills(self.conn, text, framework, first, after)

    async def list_occupations(
        self,
        text: str | None = None,
        code_prefix: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Page[Occupation]:
        with reading(self.path):
            return listing.list_occupations(self.conn, text, code_prefix, first, after)

    async def search(
        self, text: str, kinds: Sequence[NodeKind] | None = None, limit: int = 20
    ) -> list[SearchHit]:
        with reading(self.path):
            return reads.search(self.conn, text, kinds or SEARCHABLE, limit)

    async def skill_sets(self, ids: Sequence[str]) -> dict[str, frozenset[str]]:
        with reading(self.path):
            return reads.skill_sets(self.conn, ids)

    async def similar(self, id: str, k: int = 10) -> list[SimilarCredential]:
        with reading(self.path):
            return reads.similar(self.conn, id, k)

    async def occupation_required_skills(self, occupation_id: str) -> list[RequiredSkill]:
        with reading(self.path):
            return reads.occupation_required_skills(self.conn, occupation_id)

    async def occupation_required_skills_many(
        self, ids: Sequence[str]
    ) -> dict[str, list[RequiredSkill]]:
        with reading(self.path):
            return reads.occupation_required_skills_many(self.conn, ids)

    async def credentials_covering(
        self, skill_ids: Sequence[str], limit: int = 50
    ) -> list[SkillCoverage]:
        with reading(self.path):
            return reads.credentials_covering(self.conn, skill_ids, limit)

    async def replace_equivalences(
        self, owner: str, pairs: Sequence[Equivalence]
    ) -> UpsertReport:
        with write_transaction(self.conn, self.path) as conn:
            return equivalences.replace(conn, owner, pairs)

    async def equivalents_many(self, ids: Sequence[str]) -> dict[str, list[str]]:
        with reading(self.path):
            return equivalences.equivalents_many(self.conn, ids)

    async def equivalence_pairs(self) -> list[tuple[NodeKind, str, str]]:
        with reading(self.path):
            return equivalences.pairs(self.conn)

    async def occupation_ids_by_code(
        self, framework: str, codes: Sequence[str]
    ) -> dict[str, list[str]]:
        with reading(self.path):
            return equivalences.occupation_ids_by_code(self.conn, framework, codes)

    async def neighbourhood(self, seeds: Sequence[str], depth: int) -> AsyncIterator[GraphItem]:
        with reading(self.path):
            for item in graph.neighbourhood(self.conn, seeds, depth):
                yield item

    async def iter_graph(self) -> AsyncIterator[GraphItem]:
        with reading(self.path):
            for item in graph.iter_graph(self.conn):
                yield item

    async def stats(self) -> GraphStats:
        with reading(self.path):
            return reads.stats(self.conn)

    async def credential_history(self, id: str) -> list[CredentialChange]:
        with reading(self.path):
            return reads.credential_history(self.conn, id)

    async def credential_history_many(
        self, ids: Sequence[str]
    ) -> dict[str, list[CredentialChange]]:
        with reading(self.path):
            return reads.credential_history_many(self.conn, ids)

    async def list_sources(self) -> list[Source]:
        with reading(self.path):
            return reads.list_sources(self.conn)

    async def crawl_runs(self, source_id: str | None = None, limit: int = 20) -> list[CrawlRun]:
        with reading(self.path):
            return reads.crawl_runs(self.conn, source_id, limit)

    async def delete_crawl_runs(self, started_before: datetime) -> int:
        with write_transaction(self.conn, self.path) as conn:
            return run_retention.delete_crawl_runs(conn, started_before)

    # -- leases ----------------------------------------------------------------------------
    async def acquire_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        with write_transaction(self.conn, self.path) as conn:
            return lease_rows.acquire(conn, name, holder, ttl_seconds, time.time())

    async def renew_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        with write_transaction(self.conn, self.path) as conn:
            return lease_rows.renew(conn, name, holder, ttl_seconds, time.time())

    async def release_lease(self, name: str, holder: str) -> None:
        with write_transaction(self.conn, self.path) as conn:
            lease_rows.release(conn, name, holder)

    async def take_over_lease(
        self, name: str, old_holder: str, new_holder: str, ttl_seconds: float
    ) -> bool:
        with write_transaction(self.conn, self.path) as conn:
            return lease_rows.take_over(conn, name, old_holder, new_holder, ttl_seconds, time.time())

    async def leases(self) -> list[Lease]:
        with reading(self.path):
            return lease_rows.live(self.conn, time.time())

    async def check(self) -> CheckReport:
        report = CheckReport(self.url)
        with reading(self.path):
            consistency.check(self.conn, report)
        return report
