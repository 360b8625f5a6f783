"""The embedded default store: one SQLite file, WAL, FTS5.

Reads never run on the event loop's thread: each is one read transaction in a small pool of
reader threads (`read_threads`, default 2), each thread with its own `query_only` connection,
so a slow page query delays only itself, and `/healthz` and every other request go on being
answered. Each read has a deadline (`read_deadline_seconds`, default 10 s, queueing
included); past it the read is interrupted inside SQLite and raises `QueryTimeout`, and a
read whose caller went away is interrupted at once (`readers`). Streams (`neighbourhood`,
`iter_graph`) read in bounded steps, each step one such read.

Writes run on the event loop's thread, on the one writer connection, each batch one
IMMEDIATE transaction: a long batch blocks the loop for its duration, which is what a crawl
process wants; API processes only read. WAL lets the readers read while the writer writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from credgraph.errors import QueryTimeout, StoreError, StoreUnavailable
from credgraph.model import codec
from credgraph.model.batches import last_per_id, partition_valid, valid_pathways
from credgraph.model.crawl import CrawlRun, DocumentState, Source
from credgraph.model.jobs import JobPosting
from credgraph.model.lease import Lease
from credgraph.model.pathway import PublishedPathway
from credgraph.model.records import (
    Credential,
    Equivalence,
    Issuer,
    Occupation,
    Skill,
    SkillRequirement,
)
from credgraph.model.stacking import CredentialLinks, PathwayGoal, Route, bounded_route
from credgraph.model.values import NodeKind
from credgraph.model.views import (
    CredentialChange,
    CredentialView,
    GraphStats,
    Page,
    Projection,
    RequiredSkill,
    SearchHit,
    SimilarCredential,
    SkillCoverage,
    StaleReport,
    UpsertReport,
)
from credgraph.store.base import GraphItem, GraphStore
from credgraph.store.check import CheckReport
from credgraph.store.counting import count_bound
from credgraph.store.equivalence import STATED_SCORE, CloseMatchEdge, RelatedConcept
from credgraph.store.jobs import DemandCounts, PostingFilter, PostingView
from credgraph.store.names import NAMES_DEADLINE_S, CredentialName
from credgraph.store.query import SEARCHABLE, CredentialFilter, CredentialSort
from credgraph.store.sqlite import (
    bulk,
    equivalences,
    graph,
    graph_counts,
    jobs,
    listing,
    pages,
    pathways,
    projected,
    published,
    reads,
    search,
    stacking,
    version,
    writes,
)
from credgraph.store.sqlite import check as consistency
from credgraph.store.sqlite import leases as lease_rows
from credgraph.store.sqlite import names as name_reads
from credgraph.store.sqlite import retention as run_retention
from credgraph.store.sqlite.connection import (
    BULK_RECORDS,
    bulk_cache,
    connect,
    connect_reader,
    is_busy,
    reading,
    write_transaction,
)
from credgraph.store.sqlite.kept_rankings import KeptRankings, kept_rankings
from credgraph.store.sqlite.readers import DEFAULT_READ_DEADLINE_S, DEFAULT_READ_THREADS, ReadPool
from credgraph.store.sqlite.schema import migrate
from credgraph.store.sqlite.writer import WriterThread, in_writer

# `credgraph store check` reads the whole store on purpose, and only an operator asks for it.
CHECK_DEADLINE_S = 3600.0


def _close_all(connections: list[sqlite3.Connection]) -> None:
    for conn in connections:
        conn.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class SQLiteStore(GraphStore):
    def __init__(
        self,
        path: Path,
        *,
        url: str | None = None,
        busy_timeout_ms: int = 10_000,
        read_threads: int = DEFAULT_READ_THREADS,
        read_deadline_seconds: float = DEFAULT_READ_DEADLINE_S,
    ) -> None:
        """`read_threads` reads run at once, off the event loop; each read stops with
        `QueryTimeout` once `read_deadline_seconds` have passed since it was asked for."""
        self.path = path
        self.url = url or f"sqlite:///{path}"
        self._busy_timeout_ms = busy_timeout_ms
        self._count_bound = count_bound()
        self._search_candidates = search.search_candidates()
        self._term_counts = search.TermCounts()
        self._kept_rankings = KeptRankings(size=kept_rankings())
        self._kept_counts = reads.KeptCounts()
        self._conn: sqlite3.Connection | None = None
        self._adjacency = pathways.AdjacencyCache()
        self._background: set[asyncio.Task[None]] = set()
        self._writer = WriterThread(self.url)
        self._ping_conn: sqlite3.Connection | None = None
        self._ping_lock = threading.Lock()  # one ping at a time on its connection
        # The ping's own thread, while open: in the loop's default executor a health check
        # queued behind requests' work there and reported a busy store as down.
        self._pinger: ThreadPoolExecutor | None = None
        self._bulk = False  # inside bulk_load(), until it ends
        self._opening = asyncio.Lock()  # two opens at once make one connection
        self._connecting: asyncio.Future[sqlite3.Connection] | None = None
        self._reads = ReadPool(
            path,
            threads=read_threads,
            deadline_seconds=read_deadline_seconds,
            busy_timeout_ms=busy_timeout_ms,
        )

    @property
    def writer(self) -> WriterThread:
        """Where writes run (credgraph.store.sqlite.writer)."""
        return self._writer

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"store {self.url} is not open; use `async with open_store(...)`")
        return self._conn

    async def open(self) -> None:
        async with self._opening:
            if self._conn is not None:
                return
            # Migrating a graph, or finishing a bulk load a crash interrupted, can take
            # minutes at a million credentials: a thread's work, while the loop waits. An
            # open cancelled meanwhile leaves it running (a thread cannot be stopped): the
            # next open takes its connection over, and a close closes it.
            if self._connecting is None:
                self._connecting = asyncio.ensure_future(asyncio.to_thread(self._connect))
            try:
                conn = await asyncio.shield(self._connecting)
            finally:
                if self._connecting.done():
                    self._connecting = None
            self._conn = conn
            # What is kept by graph version belongs to the database it was read from: the
            # counter starts again in another (a `:memory:` store opened again, a file
            # replaced while the store was closed).
            self._term_counts = search.TermCounts()
            self._kept_rankings = KeptRankings(size=self._kept_rankings.size)
            self._kept_counts = reads.KeptCounts()
            self._adjacency = pathways.AdjacencyCache()
            self._reads.start(conn, self._writer)
            self._writer.start()
            self._pinger = ThreadPoolExecutor(1, thread_name_prefix="credgraph-sqlite-ping")

    def _connect(self) -> sqlite3.Connection:
        conn = connect(self.path, busy_timeout_ms=self._busy_timeout_ms)
        try:
            with reading(self.path):
                migrate(conn)
            _repair_counts(conn, self.path)
            if bulk.in_progress(conn):  # a bulk load was interrupted: finish it before any read
                self._finish_bulk(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    async def close(self) -> None:
        async with self._opening:  # not while an open is under way: after it
            await self._close()

    async def _close(self) -> None:
        for task in list(self._background):  # an adjacency refresh still queued or running
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        connecting, self._connecting = self._connecting, None
        if connecting is not None:  # a cancelled open's connection, once it is made
            with contextlib.suppress(Exception):
                await asyncio.to_thread(_close_all, [await connecting])
        if self._conn is not None:
            # The write in progress (a cancelled caller's too) finishes before the connection
            # closes; waiting for it is the writer's, off the loop.
            await asyncio.get_running_loop().run_in_executor(None, self._writer.close)
            await self._reads.close()
            pinger, self._pinger = self._pinger, None
            if pinger is not None:  # a ping stalled on the disk does not hold the close up
                pinger.shutdown(wait=False)
            closing = [c for c in (self._ping_conn, self._conn) if c is not None]
            self._ping_conn = self._conn = None
            # The last connection to close checkpoints the WAL into the database file, which
            # takes seconds after a large load: in a thread, as every other statement.
            await asyncio.to_thread(_close_all, closing)

    async def ping(self) -> None:
        self.conn  # noqa: B018  # not open: StoreError, as before
        pinger = self._pinger
        if pinger is None:  # opened and closed between the two lines above and this one
            raise StoreError(f"store {self.url} is not open")
        # In a thread: it reads pages, and a disk that stalls must not stall the loop. Its
        # own: nothing else queued in a thread makes a health check wait.
        await asyncio.get_running_loop().run_in_executor(pinger, self._ping_once)

    def _ping_once(self) -> None:
        with self._ping_lock:
            if self._ping_conn is None:
                # Its own connection: the writer's belongs to the writer thread, and the
                # readers may all be busy with slow reads (a health check must answer then
                # too). A reader in WAL mode never waits for the writer.
                conn = connect_reader(self.path, busy_timeout_ms=self._busy_timeout_ms)
                # No page kept between pings: a page cached from the last one would answer
                # for a file since overwritten. Never waiting for a lock either.
                conn.execute("PRAGMA cache_size = 0")
                conn.execute("PRAGMA busy_timeout = 0")
                self._ping_conn = conn
            try:
                _first_pages(self._ping_conn)
            except sqlite3.Error as exc:
                if is_busy(exc):  # a bulk load's rollback journal locks readers out: busy
                    return
                raise StoreUnavailable(f"SQLite store {self.path} does not answer: {exc}") from exc

    # -- writes --------------------------------------------------------------------------
    @asynccontextmanager
    async def bulk_load(self) -> AsyncIterator[bool]:
        """Load many credentials into a store without any (see `bulk`): the indexes are built
        and the links sorted in once, when the block ends, even when it ends by an error. On a
        store that holds credentials already this changes nothing; yields whether it applies."""
        applies = await self._begin_bulk()
        try:
            yield applies
        finally:
            if applies and self._bulk:
                await self._end_bulk()

    @in_writer
    def _begin_bulk(self) -> bool:
        applies = not self._bulk and bulk.is_empty(self.conn)
        if applies:
            with write_transaction(self.conn, self.path) as conn:
                bulk.defer_indexes(conn)
            bulk.set_journal(self.conn, "delete")
            self._bulk = True
        return applies

    @in_writer
    def _end_bulk(self) -> None:
        self._finish_bulk()

    def _finish_bulk(self, connection: sqlite3.Connection | None = None) -> None:
        writing = connection or self.conn
        # The sorts keep up to the bulk page cache in memory before spilling a sorted run.
        with bulk.spilling_to_files(writing), bulk_cache(writing, BULK_RECORDS):
            for step in (bulk.merge_search_index, bulk.sort_in_links, bulk.build_indexes):
                with write_transaction(writing, self.path) as conn:
                    step(conn)
        self._bulk = False
        bulk.set_journal(writing, "wal")

    @in_writer
    def _upsert_nodes(self, kind: NodeKind, batch: Iterable[object]) -> UpsertReport:
        valid, rejected = partition_valid(batch)
        with write_transaction(self.conn, self.path) as conn:
            now = _now()
            c = writes.write_nodes(conn, kind, valid, now, embedded=False)  # type: ignore[arg-type]
            if kind is NodeKind.ISSUER:
                writes.upsert_accreditors(conn, valid, now)  # type: ignore[arg-type]
            report = UpsertReport(c.created, c.updated, c.unchanged, tuple(rejected))
            version.bump_if_changed(conn, report)
        return report

    async def upsert_issuers(self, batch: Iterable[Issuer]) -> UpsertReport:
        return await self._upsert_nodes(NodeKind.ISSUER, batch)

    async def upsert_skills(self, batch: Iterable[Skill]) -> UpsertReport:
        return await self._upsert_nodes(NodeKind.SKILL, batch)

    async def upsert_occupations(self, batch: Iterable[Occupation]) -> UpsertReport:
        return await self._upsert_nodes(NodeKind.OCCUPATION, batch)

    @in_writer
    def upsert_credentials(self, batch: Iterable[Credential]) -> UpsertReport:
        # Validation runs inside, after the content-hash check: a record equal to a stored
        # one was valid when stored, so an unchanged re-crawl costs no validation.
        records = last_per_id(batch)
        if self._bulk and bulk.any_stored(self.conn, (r.id for r in records)):
            # Updating a stored credential replaces its links: that needs them sorted in and
            # indexed, so the bulk load ends here and the rest goes row by row.
            self._finish_bulk()
        with (
            bulk_cache(self.conn, len(records)),
            write_transaction(self.conn, self.path) as conn,
        ):
            c, rejected = writes.upsert_credentials(conn, records, _now(), staged=self._bulk)
            report = UpsertReport(c.created, c.updated, c.unchanged, tuple(rejected))
            version.bump_if_changed(conn, report)
        return report

    @in_writer
    def upsert_skill_requirements(self, batch: Iterable[SkillRequirement]) -> UpsertReport:
        valid, rejected = partition_valid(batch)
        with write_transaction(self.conn, self.path) as conn:
            c, missing = writes.upsert_requirements(conn, valid, _now())
            report = UpsertReport(c.created, c.updated, c.unchanged, (*rejected, *missing))
            version.bump_if_changed(conn, report)
        return report

    @in_writer
    def replace_skill_requirements(
        self, owner: str, occupation_ids: Iterable[str], batch: Iterable[SkillRequirement]
    ) -> UpsertReport:
        valid, rejected = partition_valid(batch)
        with write_transaction(self.conn, self.path) as conn:
            c, missing = writes.replace_requirements(conn, owner, occupation_ids, valid, _now())
            report = UpsertReport(
                c.created, c.updated, c.unchanged, (*rejected, *missing), deleted=c.deleted
            )
            version.bump_if_changed(conn, report)
        return report

    @in_writer
    def upsert_sources(self, batch: Iterable[Source]) -> UpsertReport:
        with write_transaction(self.conn, self.path) as conn:
            c = writes.upsert_sources(conn, list(batch))
        return UpsertReport(c.created, c.updated, c.unchanged)

    @in_writer
    def record_crawl_run(self, run: CrawlRun) -> None:
        with write_transaction(self.conn, self.path) as conn:
            writes.record_crawl_run(conn, run)

    @in_writer
    def mark_missed(self, source_id: str, seen_ids: Iterable[str], threshold: int) -> StaleReport:
        with write_transaction(self.conn, self.path) as conn:
            stale = writes.mark_missed(conn, source_id, seen_ids, threshold, _now())
            version.bump_if_changed(conn, stale)
        return stale

    @in_writer
    def save_document_states(self, states: Sequence[DocumentState]) -> None:
        with write_transaction(self.conn, self.path) as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO documents (source_id, url, doc) VALUES (?, ?, ?)",
                [(s.source_id, s.url, codec.dumps(s)) for s in states],
            )

    async def document_states(self, source_id: str) -> dict[str, DocumentState]:
        rows = await self._reads.run(_document_rows, source_id)
        return {url: codec.from_json(DocumentState, json.loads(doc)) for url, doc in rows}

    # -- reads ---------------------------------------------------------------------------
    async def get_credentials(
        self, ids: Sequence[str], projection: Projection | None = None
    ) -> list[CredentialView]:
        if projection is None:
            return await self._reads.run(reads.get_credentials, ids)
        return await self._reads.run(projected.get_credentials, ids, projection)

    async def get_issuers(self, ids: Sequence[str]) -> list[Issuer]:
        return await self._reads.run(reads.get_issuers, ids)

    async def graph_version(self) -> str:
        return await self._reads.run(version.graph_version)

    async def credential_names(self) -> list[CredentialName]:
        return await self._reads.run_for(NAMES_DEADLINE_S, name_reads.credential_names)

    async def get_skills(self, ids: Sequence[str]) -> list[Skill]:
        return await self._reads.run(reads.get_skills, ids)

    async def get_occupations(self, ids: Sequence[str]) -> list[Occupation]:
        return await self._reads.run(reads.get_occupations, ids)

    async def resolve_credential_ids(self, keys: Sequence[str]) -> dict[str, str]:
        return await self._reads.run(reads.resolve_credential_ids, keys)

    async def list_credentials(
        self,
        filter: CredentialFilter | None = None,
        sort: CredentialSort | None = None,
        first: int = 20,
        after: str | None = None,
        projection: Projection | None = None,
    ) -> Page[CredentialView]:
        return await self._reads.run(
            pages.list_credentials, filter, sort, first, after, projection, self._count_bound
        )

    async def list_issuers(
        self,
        text: str | None = None,
        country: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Page[Issuer]:
        return await self._reads.run(
            listing.list_issuers, text, country, first, after, self._count_bound
        )

    async def list_skills(
        self,
        text: str | None = None,
        framework: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Page[Skill]:
        return await self._reads.run(
            listing.list_skills, text, framework, first, after, self._count_bound
        )

    async def list_occupations(
        self,
        text: str | None = None,
        code_prefix: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Page[Occupation]:
        return await self._reads.run(
            listing.list_occupations, text, code_prefix, first, after, self._count_bound
        )

    async def search(
        self, text: str, kinds: Sequence[NodeKind] | None = None, limit: int = 20
    ) -> list[SearchHit]:
        return await self._reads.run(
            search.search,
            text,
            kinds or SEARCHABLE,
            limit,
            self._search_candidates,
            self._term_counts,
            self._kept_rankings,
        )

    async def skill_sets(self, ids: Sequence[str]) -> dict[str, frozenset[str]]:
        return await self._reads.run(reads.skill_sets, ids)

    async def similar(self, id: str, k: int = 10) -> list[SimilarCredential]:
        return await self._reads.run(reads.similar, id, k)

    async def occupation_required_skills_many(
        self, ids: Sequence[str]
    ) -> dict[str, list[RequiredSkill]]:
        return await self._reads.run(reads.occupation_required_skills_many, ids)

    async def credentials_covering(
        self, skill_ids: Sequence[str], limit: int = 50
    ) -> list[SkillCoverage]:
        return await self._reads.run(reads.credentials_covering, skill_ids, limit)

    @in_writer
    def replace_equivalences(self, owner: str, pairs: Sequence[Equivalence]) -> UpsertReport:
        with write_transaction(self.conn, self.path) as conn:
            report = equivalences.replace(conn, owner, pairs)
            version.bump_if_changed(conn, report)
        return report

    async def equivalents_many(self, ids: Sequence[str]) -> dict[str, list[str]]:
        return await self._reads.run(equivalences.equivalents_many, ids)

    async def equivalence_pairs(self) -> list[tuple[NodeKind, str, str]]:
        return await self._reads.run(equivalences.pairs)

    @in_writer
    def replace_close_matches(
        self, method: str, matches: Sequence[CloseMatchEdge], scope: Sequence[str] | None = None
    ) -> UpsertReport:
        with write_transaction(self.conn, self.path) as conn:
            report = equivalences.replace_close_matches(conn, method, matches, scope)
            version.bump_if_changed(conn, report)
        return report

    async def related_many(self, ids: Sequence[str]) -> dict[str, list[RelatedConcept]]:
        return await self._reads.run(equivalences.related_many, ids)

    async def occupation_ids_by_code(
        self, framework: str, codes: Sequence[str]
    ) -> dict[str, list[str]]:
        return await self._reads.run(equivalences.occupation_ids_by_code, framework, codes)

    async def neighbourhood(self, seeds: Sequence[str], depth: int) -> AsyncIterator[GraphItem]:
        async for item in self._walk(graph.Neighbourhood(seeds, depth)):
            yield item

    async def iter_graph(self) -> AsyncIterator[GraphItem]:
        async for item in self._walk(graph.GraphScan()):
            yield item

    async def _walk(self, walk: graph.Walk) -> AsyncIterator[GraphItem]:
        while (items := await self._reads.run(walk.step)) is not None:
            for item in items:
                yield item

    async def stats(self) -> GraphStats:
        return await self._reads.run(reads.stats, self._kept_counts)

    async def credential_history_many(
        self, ids: Sequence[str]
    ) -> dict[str, list[CredentialChange]]:
        return await self._reads.run(reads.credential_history_many, ids)

    async def credential_links(self, ids: Sequence[str]) -> dict[str, CredentialLinks]:
        return await self._reads.run(stacking.credential_links, ids)

    @in_writer
    def upsert_pathways(self, batch: Iterable[PublishedPathway]) -> UpsertReport:
        valid, rejected = valid_pathways(batch)
        with write_transaction(self.conn, self.path) as conn:
            c = published.upsert_pathways(conn, valid, _now())
            report = UpsertReport(c.created, c.updated, c.unchanged, tuple(rejected))
            version.bump_if_changed(conn, report)
        return report

    async def published_pathways(self, ids: Sequence[str]) -> dict[str, list[PublishedPathway]]:
        return await self._reads.run(published.pathways_of, ids)

    async def pathways(
        self, start: str, goal: PathwayGoal, max_steps: int, first: int
    ) -> list[Route]:
        steps, count = bounded_route(max_steps, first)
        routes, stale = await self._reads.run(
            pathways.find, self._adjacency, start, goal, steps, count
        )
        if stale and not self._adjacency.building:
            self._adjacency.building = True
            task = asyncio.get_running_loop().create_task(self._refresh_adjacency())
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        return routes

    async def warm_pathways(self) -> None:
        """Build the pathway search's adjacency now (after a bulk load, before serving)."""
        await self._reads.run(pathways.refresh, self._adjacency)

    async def _refresh_adjacency(self) -> None:
        """Rebuild the pathway adjacency on a reader thread; searches read links directly
        meanwhile. A failed build (a deadline on a busy machine) is tried again by the next
        search that finds it stale."""
        try:
            await self._reads.run(pathways.refresh, self._adjacency)
        except (StoreError, QueryTimeout):
            pass
        finally:
            self._adjacency.building = False

    async def list_sources(self) -> list[Source]:
        return await self._reads.run(reads.list_sources)

    async def crawl_runs(self, source_id: str | None = None, limit: int = 20) -> list[CrawlRun]:
        return await self._reads.run(reads.crawl_runs, source_id, limit)

    @in_writer
    def delete_crawl_runs(self, started_before: datetime) -> int:
        with write_transaction(self.conn, self.path) as conn:
            return run_retention.delete_crawl_runs(conn, started_before)

    # -- job postings ----------------------------------------------------------------------
    @in_writer
    def upsert_job_postings(self, batch: Iterable[JobPosting]) -> UpsertReport:
        with write_transaction(self.conn, self.path) as conn:
            c, rejected = jobs.upsert(conn, batch, _now())
            report = UpsertReport(c.created, c.updated, c.unchanged, tuple(rejected))
            version.bump_if_changed(conn, report)
        return report

    async def get_job_postings(self, ids: Sequence[str]) -> list[PostingView]:
        return await self._reads.run(jobs.get, ids)

    async def list_job_postings(
        self,
        filter: PostingFilter | None = None,
        first: int = 20,
        after: str | None = None,
        at: datetime | None = None,
    ) -> Page[PostingView]:
        return await self._reads.run(jobs.list_page, filter, first, after, at or datetime.now(UTC))

    @in_writer
    def mark_postings_missed(
        self, source_id: str, seen_ids: Iterable[str], threshold: int
    ) -> StaleReport:
        with write_transaction(self.conn, self.path) as conn:
            stale = jobs.mark_missed(conn, source_id, seen_ids, threshold, _now())
            version.bump_if_changed(conn, stale)
        return stale

    async def posting_demand(
        self,
        kind: NodeKind,
        ids: Sequence[str],
        at: datetime,
        *,
        min_confidence: float = STATED_SCORE,
    ) -> DemandCounts:
        return await self._reads.run(jobs.demand, kind, ids, at, min_confidence)

    async def credential_ids_by_name(self, names: Sequence[str]) -> dict[str, list[str]]:
        return await self._reads.run(jobs.credential_ids_by_name, names)

    # -- leases ----------------------------------------------------------------------------
    @in_writer
    def acquire_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        with write_transaction(self.conn, self.path) as conn:
            return lease_rows.acquire(conn, name, holder, ttl_seconds, time.time())

    @in_writer
    def renew_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        with write_transaction(self.conn, self.path) as conn:
            return lease_rows.renew(conn, name, holder, ttl_seconds, time.time())

    @in_writer
    def release_lease(self, name: str, holder: str) -> None:
        with write_transaction(self.conn, self.path) as conn:
            lease_rows.release(conn, name, holder)

    @in_writer
    def take_over_lease(
        self, name: str, old_holder: str, new_holder: str, ttl_seconds: float
    ) -> bool:
        with write_transaction(self.conn, self.path) as conn:
            return lease_rows.take_over(
                conn, name, old_holder, new_holder, ttl_seconds, time.time()
            )

    async def leases(self) -> list[Lease]:
        return await self._reads.run(lease_rows.live, time.time())

    async def check(self) -> CheckReport:
        report = CheckReport(self.url)
        await self._reads.run_for(CHECK_DEADLINE_S, consistency.check, report)
        return report


def _repair_counts(conn: sqlite3.Connection, path: Path) -> None:
    """Count the graph into `graph_counts` again if a writer that does not keep it (an older
    credgraph) wrote since: checked without the write lock, which an open rarely needs."""
    with reading(path):  # a locked file says so as the store's error, like the migration
        owed = graph_counts.kept(conn)[1] is None
    if owed:
        with write_transaction(conn, path) as writing:
            graph_counts.repair(writing)


def _document_rows(conn: sqlite3.Connection, source_id: str) -> list[tuple[str, str]]:
    rows = conn.execute("SELECT url, doc FROM documents WHERE source_id = ?", (source_id,))
    return rows.fetchall()


def _first_pages(conn: sqlite3.Connection) -> None:
    """Read the schema, the graph's version and the first rows of the tables every answer
    reads: a few pages, microseconds. `SELECT 1` read none, so a file overwritten under a
    running server was "ok" while every query failed as malformed."""
    conn.execute(_PING).fetchone()


_PING = "SELECT (SELECT credentials FROM graph_version), " + ", ".join(
    f"(SELECT 1 FROM {t} LIMIT 1)" for t in ("credentials", "edges", "skills")
)
