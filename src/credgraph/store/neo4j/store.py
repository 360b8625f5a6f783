"""`Neo4jStore`: the graph store port on Neo4j 5.26 through the official async driver.

Every upsert is one managed write transaction (retried by the driver on transient errors,
rolled back whole on any other), routed to the leader; every read is one auto-commit statement
in a READ session, which a cluster routes to a follower or read replica, asked again on a
retryable failure for as long as a write would be retried. Both carry this process's bookmarks for the database
(`credgraph.store.neo4j.bookmarks`), so a read sees every write any store of this process
made before it, whichever server answers.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from neo4j import (
    READ_ACCESS,
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    RoutingControl,
)
from neo4j.exceptions import DriverError, Neo4jError

from credgraph.errors import StoreUnavailable
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
from credgraph.store.names import CredentialName
from credgraph.store.neo4j import check as consistency
from credgraph.store.neo4j import (
    crawls,
    equivalences,
    graph,
    jobs,
    listing,
    pages,
    pathways,
    published,
    reads,
    stacking,
    version,
    writes,
)
from credgraph.store.neo4j import leases as lease_nodes
from credgraph.store.neo4j import names as name_reads
from credgraph.store.neo4j import retention as run_retention
from credgraph.store.neo4j.bookmarks import bookmarks_for
from credgraph.store.neo4j.common import now_iso, translated
from credgraph.store.neo4j.migrations import migrate
from credgraph.store.neo4j.schema import ensure_schema
from credgraph.store.neo4j.settings import retry_seconds
from credgraph.store.query import CredentialFilter, CredentialSort
from credgraph.store.url import Neo4jTarget

T = TypeVar("T")
CONNECTION_TIMEOUT_S = 10.0


def read_retry_pauses() -> Iterator[float]:
    """Seconds to wait before each retry of a read: none before the first (the driver has
    dropped the member that failed from its routing table), then 0.5 s doubling to 4 s, each
    within 20% either way so that replicas retrying together spread out."""
    yield 0.0
    pause = 0.5
    while True:
        yield pause * random.uniform(0.8, 1.2)
        pause = min(pause * 2, 4.0)


class Neo4jStore(GraphStore):
    """A credgraph store in a Neo4j database (see the package docstring for the layout)."""

    def __init__(self, target: Neo4jTarget, *, url: str | None = None) -> None:
        self.target = target
        self.url = url or target.uri
        self._database = target.database
        self._bookmarks = bookmarks_for(target.uri, target.database)
        self._driver: AsyncDriver | None = None
        self._count_bound = count_bound()
        self._retry_seconds = retry_seconds()

    # -- lifecycle -------------------------------------------------------------------------
    async def open(self) -> None:
        if self._driver is not None:
            return
        auth = (self.target.user, self.target.password or "") if self.target.user else None
        async with translated(self.url, "opening the store"):
            driver = AsyncGraphDatabase.driver(
                self.target.uri,
                auth=auth,
                connection_timeout=CONNECTION_TIMEOUT_S,
                max_transaction_retry_time=self._retry_seconds,
                notifications_min_severity="OFF",
            )
            try:
                await driver.verify_connectivity()
                await ensure_schema(driver, self._database, self._bookmarks)
                await migrate(driver, self._database, self._bookmarks)
            except BaseException:
                await driver.close()
                raise
        self._driver = driver

    async def close(self) -> None:
        driver, self._driver = self._driver, None
        if driver is not None:
            await driver.close()

    async def ping(self) -> None:
        async with translated(self.url, "ping"):
            # A read, as a load balancer's health check should be: on a cluster it proves a
            # reader answers; writes are the scheduler's concern.
            await self._open_driver().execute_query(
                "RETURN 1",
                routing_=RoutingControl.READ,
                database_=self._database,
                bookmark_manager_=self._bookmarks,
            )

    def _open_driver(self) -> AsyncDriver:
        if self._driver is None:
            raise StoreUnavailable(f"Neo4j store {self.url} is not open; call open() first")
        return self._driver

    async def _read(self, query: str, **params: Any) -> list[Any]:
        # One read is one auto-commit statement (RUN and PULL in one message to the server)
        # rather than a managed transaction: BEGIN and COMMIT were a second write and two
        # more answers per read, some 30% of the driver's time on a small read (measured on
        # bench/peer_bench.py's queries a and b). A read is idempotent, so what the driver
        # calls retryable (a routing change, a reader gone, a leader election) is asked again,
        # at once and then backing off, for as long as a managed transaction would retry
        # (`CREDGRAPH_NEO4J_RETRY_SECONDS`).
        driver = self._open_driver()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._retry_seconds
        async with translated(self.url, "a read"):
            for pause in read_retry_pauses():
                try:
                    return await self._read_once(driver, query, params)
                except (Neo4jError, DriverError) as exc:
                    if not exc.is_retryable() or loop.time() + pause > deadline:
                        raise
                await asyncio.sleep(pause)
        raise AssertionError("read_retry_pauses never ends")  # pragma: no cover

    async def _read_once(
        self, driver: AsyncDriver, query: str, params: dict[str, Any]
    ) -> list[Any]:
        async with driver.session(
            database=self._database,
            default_access_mode=READ_ACCESS,
            bookmark_manager=self._bookmarks,
        ) as session:
            result = await session.run(query, params)
            return [record async for record in result]

    async def _write(self, doing: str, work: Callable[..., Awaitable[T]], *args: Any) -> T:
        driver = self._open_driver()
        async with (
            translated(self.url, doing),
            driver.session(database=self._database, bookmark_manager=self._bookmarks) as session,
        ):
            return await session.execute_write(work, *args)

    async def _write_graph(
        self, doing: str, work: Callable[[AsyncManagedTransaction], Awaitable[T]]
    ) -> T:
        """`_write` of a graph write: the graph's version is bumped in the same transaction
        when `work`'s result says something changed."""

        async def counted(tx: AsyncManagedTransaction) -> T:
            result = await work(tx)
            if version.changed(result):
                await version.bump(tx)
            return result

        return await self._write(doing, counted)

    # -- writes ----------------------------------------------------------------------------
    async def _upsert_nodes(self, kind: NodeKind, batch: Iterable[Any], what: str) -> UpsertReport:
        valid, rejected = partition_valid(batch)
        if not valid:
            return UpsertReport(rejected=tuple(rejected))

        prints: dict[str, bytes] = {}  # computed in the first try, kept for a retry
        rows: dict[str, dict[str, Any]] = {}

        async def work(tx: AsyncManagedTransaction) -> writes.Counts:
            return await writes.upsert_nodes(tx, kind, valid, prints, rows, now_iso())

        created, updated, unchanged = await self._write_graph(f"upserting {what}", work)
        return UpsertReport(created, updated, unchanged, tuple(rejected))

    async def upsert_issuers(self, batch: Iterable[Issuer]) -> UpsertReport:
        return await self._upsert_nodes(NodeKind.ISSUER, batch, "issuers")

    async def upsert_skills(self, batch: Iterable[Skill]) -> UpsertReport:
        return await self._upsert_nodes(NodeKind.SKILL, batch, "skills")

    async def upsert_occupations(self, batch: Iterable[Occupation]) -> UpsertReport:
        return await self._upsert_nodes(NodeKind.OCCUPATION, batch, "occupations")

    async def upsert_credentials(self, batch: Iterable[Credential]) -> UpsertReport:
        records = last_per_id(batch)
        if not records:
            return UpsertReport()
        prints: dict[str, bytes] = {}  # computed in the first try, kept for a retry
        docs: dict[str, writes.Document] = {}

        async def work(tx: AsyncManagedTransaction) -> Any:
            return await writes.upsert_credentials(tx, records, prints, docs, now_iso())

        created, updated, unchanged, rejected = await self._write_graph(
            "upserting credentials", work
        )
        return UpsertReport(created, updated, unchanged, tuple(rejected))

    async def upsert_skill_requirements(self, batch: Iterable[SkillRequirement]) -> UpsertReport:
        valid, rejected = partition_valid(batch)
        if not valid:
            return UpsertReport(rejected=tuple(rejected))

        async def work(tx: AsyncManagedTransaction) -> Any:
            return await writes.upsert_requirements(tx, valid, now_iso())

        created, updated, unchanged, missing = await self._write_graph(
            "upserting skill requirements", work
        )
        return UpsertReport(created, updated, unchanged, tuple(rejected + missing))

    async def replace_skill_requirements(
        self, owner: str, occupation_ids: Iterable[str], batch: Iterable[SkillRequirement]
    ) -> UpsertReport:
        valid, rejected = partition_valid(batch)
        covered = list(occupation_ids)
        if not valid and not covered:
            return UpsertReport(rejected=tuple(rejected))

        async def work(tx: AsyncManagedTransaction) -> UpsertReport:
            return await writes.replace_requirements(tx, owner, covered, valid, now_iso())

        report = await self._write_graph("replacing skill requirements", work)
        return dataclasses.replace(report, rejected=(*rejected, *report.rejected))

    async def upsert_sources(self, batch: Iterable[Source]) -> UpsertReport:
        records = list({s.id: s for s in batch}.values())
        if not records:
            return UpsertReport()

        async def work(tx: AsyncManagedTransaction) -> writes.Counts:
            return await crawls.upsert_sources(tx, records)

        created, updated, unchanged = await self._write("upserting sources", work)
        return UpsertReport(created, updated, unchanged)

    async def record_crawl_run(self, run: CrawlRun) -> None:
        async def work(tx: AsyncManagedTransaction) -> None:
            await crawls.record_crawl_run(tx, run)

        await self._write(f"recording crawl run {run.id!r}", work)

    async def mark_missed(
        self, source_id: str, seen_ids: Iterable[str], threshold: int
    ) -> StaleReport:
        seen = set(seen_ids)

        async def work(tx: AsyncManagedTransaction) -> StaleReport:
            return await crawls.mark_missed(tx, source_id, seen, threshold, now_iso())

        return await self._write_graph(f"marking missed credentials of source {source_id!r}", work)

    async def save_document_states(self, states: Sequence[DocumentState]) -> None:
        records = list(states)
        if not records:
            return

        async def work(tx: AsyncManagedTransaction) -> None:
            await crawls.save_document_states(tx, records)

        await self._write("saving document states", work)

    async def document_states(self, source_id: str) -> dict[str, DocumentState]:
        return await reads.document_states(self._read, source_id)

    # -- reads -----------------------------------------------------------------------------
    async def get_credentials(
        self, ids: Sequence[str], projection: Projection | None = None
    ) -> list[CredentialView]:
        return await reads.get_credentials(self._read, ids, projection)

    async def get_issuers(self, ids: Sequence[str]) -> list[Issuer]:
        return await reads.get_nodes(self._read, NodeKind.ISSUER, Issuer, ids)

    async def get_skills(self, ids: Sequence[str]) -> list[Skill]:
        return await reads.get_nodes(self._read, NodeKind.SKILL, Skill, ids)

    async def get_occupations(self, ids: Sequence[str]) -> list[Occupation]:
        return await reads.get_nodes(self._read, NodeKind.OCCUPATION, Occupation, ids)

    async def resolve_credential_ids(self, keys: Sequence[str]) -> dict[str, str]:
        return await reads.resolve_credential_ids(self._read, keys)

    async def list_credentials(
        self,
        filter: CredentialFilter | None = None,
        sort: CredentialSort | None = None,
        first: int = 20,
        after: str | None = None,
        projection: Projection | None = None,
    ) -> Page[CredentialView]:
        return await pages.list_credentials(
            self._read, filter, sort, first, after, projection, self._count_bound
        )

    async def list_issuers(
        self,
        text: str | None = None,
        country: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Page[Issuer]:
        return await listing.list_issuers(
            self._read, text, country, first, after, self._count_bound
        )

    async def list_skills(
        self,
        text: str | None = None,
        framework: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Page[Skill]:
        return await listing.list_skills(
            self._read, text, framework, first, after, self._count_bound
        )

    async def list_occupations(
        self,
        text: str | None = None,
        code_prefix: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Page[Occupation]:
        return await listing.list_occupations(
            self._read, text, code_prefix, first, after, self._count_bound
        )

    async def search(
        self, text: str, kinds: Sequence[NodeKind] | None = None, limit: int = 20
    ) -> list[SearchHit]:
        return await reads.search(self._read, text, kinds, limit)

    async def skill_sets(self, ids: Sequence[str]) -> dict[str, frozenset[str]]:
        return await reads.skill_sets(self._read, ids)

    async def similar(self, id: str, k: int = 10) -> list[SimilarCredential]:
        return await reads.similar(self._read, id, k)

    async def occupation_required_skills_many(
        self, ids: Sequence[str]
    ) -> dict[str, list[RequiredSkill]]:
        return await reads.occupation_required_skills_many(self._read, ids)

    async def credentials_covering(
        self, skill_ids: Sequence[str], limit: int = 50
    ) -> list[SkillCoverage]:
        return await reads.credentials_covering(self._read, skill_ids, limit)

    async def replace_equivalences(self, owner: str, pairs: Sequence[Equivalence]) -> UpsertReport:
        async def work(tx: AsyncManagedTransaction) -> UpsertReport:
            return await equivalences.replace(tx, owner, pairs)

        return await self._write_graph("replacing equivalences", work)

    async def equivalents_many(self, ids: Sequence[str]) -> dict[str, list[str]]:
        return await equivalences.equivalents_many(self._read, ids)

    async def equivalence_pairs(self) -> list[tuple[NodeKind, str, str]]:
        return await equivalences.pairs(self._read)

    async def replace_close_matches(
        self, method: str, matches: Sequence[CloseMatchEdge], scope: Sequence[str] | None = None
    ) -> UpsertReport:
        async def work(tx: AsyncManagedTransaction) -> UpsertReport:
            return await equivalences.replace_close_matches(tx, method, matches, scope)

        return await self._write_graph("replacing close matches", work)

    async def related_many(self, ids: Sequence[str]) -> dict[str, list[RelatedConcept]]:
        return await equivalences.related_many(self._read, ids)

    async def compared_credentials(
        self, ids: Sequence[str], projection: Projection | None = None
    ) -> tuple[list[CredentialView], dict[str, list[RelatedConcept]]]:
        return await equivalences.compared_credentials(self._read, ids, projection)

    async def skill_sets_related(
        self, ids: Sequence[str]
    ) -> tuple[dict[str, frozenset[str]], dict[str, list[RelatedConcept]]]:
        return await equivalences.skill_sets_related(self._read, ids)

    async def occupation_ids_by_code(
        self, framework: str, codes: Sequence[str]
    ) -> dict[str, list[str]]:
        return await equivalences.occupation_ids_by_code(self._read, framework, codes)

    async def neighbourhood(self, seeds: Sequence[str], depth: int) -> AsyncIterator[GraphItem]:
        async for item in graph.neighbourhood(self._read, seeds, depth):
            yield item

    async def iter_graph(self) -> AsyncIterator[GraphItem]:
        async for item in graph.iter_graph(self._read):
            yield item

    async def stats(self) -> GraphStats:
        return await graph.stats(self._read)

    async def graph_version(self) -> str:
        return await version.graph_version(self._read)

    async def credential_names(self) -> list[CredentialName]:
        return await name_reads.credential_names(self._read)

    async def credential_history_many(
        self, ids: Sequence[str]
    ) -> dict[str, list[CredentialChange]]:
        return await reads.credential_history_many(self._read, ids)

    async def credential_links(self, ids: Sequence[str]) -> dict[str, CredentialLinks]:
        return await stacking.credential_links(self._read, ids)

    async def upsert_pathways(self, batch: Iterable[PublishedPathway]) -> UpsertReport:
        valid, rejected = valid_pathways(batch)
        if not valid:
            return UpsertReport(rejected=tuple(rejected))

        async def work(tx: AsyncManagedTransaction) -> tuple[int, int, int]:
            return await published.upsert_pathways(tx, valid, now_iso())

        created, updated, unchanged = await self._write_graph("upserting pathways", work)
        return UpsertReport(created, updated, unchanged, tuple(rejected))

    async def published_pathways(self, ids: Sequence[str]) -> dict[str, list[PublishedPathway]]:
        return await published.pathways_of(self._read, ids)

    async def pathways(
        self, start: str, goal: PathwayGoal, max_steps: int, first: int
    ) -> list[Route]:
        steps, count = bounded_route(max_steps, first)
        return await pathways.find(self._read, start, goal, steps, count)

    async def list_sources(self) -> list[Source]:
        return await reads.list_sources(self._read)

    async def crawl_runs(self, source_id: str | None = None, limit: int = 20) -> list[CrawlRun]:
        return await reads.crawl_runs(self._read, source_id, limit)

    async def delete_crawl_runs(self, started_before: datetime) -> int:
        async def work(tx: AsyncManagedTransaction) -> int:
            return await run_retention.delete_batch(tx, started_before)

        deleted = 0
        while True:  # batch by batch, each its own transaction
            batch = await self._write("deleting old crawl runs", work)
            deleted += batch
            if batch < run_retention.BATCH:
                return deleted

    # -- job postings ----------------------------------------------------------------------
    async def upsert_job_postings(self, batch: Iterable[JobPosting]) -> UpsertReport:
        postings = list(batch)

        async def work(tx: AsyncManagedTransaction) -> Any:
            return await jobs.upsert(tx, postings, now_iso())

        created, updated, unchanged, rejected = await self._write_graph(
            "upserting job postings", work
        )
        return UpsertReport(created, updated, unchanged, tuple(rejected))

    async def get_job_postings(self, ids: Sequence[str]) -> list[PostingView]:
        return await jobs.get(self._read, ids)

    async def list_job_postings(
        self,
        filter: PostingFilter | None = None,
        first: int = 20,
        after: str | None = None,
        at: datetime | None = None,
    ) -> Page[PostingView]:
        return await jobs.list_page(self._read, filter, first, after, at or datetime.now(UTC))

    async def mark_postings_missed(
        self, source_id: str, seen_ids: Iterable[str], threshold: int
    ) -> StaleReport:
        seen = set(seen_ids)

        async def work(tx: AsyncManagedTransaction) -> StaleReport:
            return await jobs.mark_missed(tx, source_id, seen, threshold, now_iso())

        return await self._write_graph("marking missed job postings", work)

    async def posting_demand(
        self,
        kind: NodeKind,
        ids: Sequence[str],
        at: datetime,
        *,
        min_confidence: float = STATED_SCORE,
    ) -> DemandCounts:
        return await jobs.demand(self._read, kind, ids, at, min_confidence)

    async def credential_ids_by_name(self, names: Sequence[str]) -> dict[str, list[str]]:
        return await jobs.credential_ids_by_name(self._read, names)

    # -- leases ----------------------------------------------------------------------------
    async def acquire_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        async def work(tx: AsyncManagedTransaction) -> bool:
            return await lease_nodes.acquire(tx, name, holder, ttl_seconds)

        return await self._write(f"acquiring lease {name!r}", work)

    async def renew_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        async def work(tx: AsyncManagedTransaction) -> bool:
            return await lease_nodes.renew(tx, name, holder, ttl_seconds)

        return await self._write(f"renewing lease {name!r}", work)

    async def release_lease(self, name: str, holder: str) -> None:
        async def work(tx: AsyncManagedTransaction) -> None:
            await lease_nodes.release(tx, name, holder)

        await self._write(f"releasing lease {name!r}", work)

    async def take_over_lease(
        self, name: str, old_holder: str, new_holder: str, ttl_seconds: float
    ) -> bool:
        async def work(tx: AsyncManagedTransaction) -> bool:
            return await lease_nodes.take_over(tx, name, old_holder, new_holder, ttl_seconds)

        return await self._write(f"taking over lease {name!r}", work)

    async def leases(self) -> list[Lease]:
        return [lease_nodes.lease_of(dict(r)) for r in await self._read(lease_nodes.LIVE)]

    async def check(self) -> CheckReport:
        report = CheckReport(self.url)
        await consistency.check(self._read, report)
        return report
