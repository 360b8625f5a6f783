"""One run of one source, the lifecycle every run shares: the source and a RUNNING record
first, the run's own work, then the final record, whatever happened.

A store failure ends the run as FAILED (nothing half-written: each upsert is one transaction);
`request_stop` ends it as ABORTED at its next cancellation point. Two kinds of run do the
work: `DocumentCrawl` (`ingest.documents`, catalog documents page by page) and
`TaxonomyImport` (`ingest.imports`, taxonomy releases batch by batch); `ingest.runs.source_run`
picks one for a source's format. Both store what they read the same way (`SourceRun._store`):
each page's mentions linked to the framework nodes known so far, framework nodes a page brings
joining the linker at once, and credentials stored earlier that mention such a node's label as
a plain `label:` skill re-linked right after the page.
"""

from __future__ import annotations

import abc
import asyncio
import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from credgraph.config.sources import CrawlerSettings
from credgraph.errors import ConfigError, StoreError
from credgraph.fetch.client import Fetcher
from credgraph.fetch.result import FetchResult
from credgraph.formats.base import ParseResult
from credgraph.ingest.asked_credentials import resolve_asked
from credgraph.ingest.report import RunTally
from credgraph.ingest.stacking import credential_alignments
from credgraph.link import Linker, link_page, relink_mentions, update_close_matches
from credgraph.link.close_match_workers import CloseMatchesStopped
from credgraph.link.off_loop import in_thread
from credgraph.link.postings import link_postings
from credgraph.model.crawl import CrawlRun, DocumentState, Source
from credgraph.model.records import Occupation, Skill
from credgraph.model.values import CrawlStatus
from credgraph.store.base import GraphStore

Progress = Callable[[str, RunTally], None]


def new_run_id(source_id: str, at: datetime) -> str:
    return f"{source_id}@{at.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


class RunStopped(Exception):
    """Raised at a cancellation point after `SourceRun.request_stop`."""


class SourceRun(abc.ABC):
    """State of one run over one source.

    `request_stop(reason)` ends the run at its next cancellation point, between documents or
    taxonomy batches, so whatever was written is whole; the run is recorded as ABORTED."""

    def __init__(
        self,
        source: Source,
        store: GraphStore,
        fetcher: Fetcher,
        settings: CrawlerSettings,
        progress: Progress | None = None,
        linker: Linker | None = None,
        linker_turn: asyncio.Lock | None = None,
    ) -> None:
        """`linker`: one shared by the runs of one crawl, so that a node one source brings
        links the mentions of another at once; by default a document crawl loads its own.
        `linker_turn`: taken to use it (pages are linked in threads), shared with it."""
        self.source = source
        self.store = store
        self.fetcher = fetcher
        self.settings = settings
        self.progress = progress or (lambda _url, _tally: None)
        started = datetime.now(UTC)
        self.tally = RunTally(source.id, new_run_id(source.id, started), started)
        self.linker: Linker | None = linker
        self.linker_turn = linker_turn or asyncio.Lock()
        self.first_page_of: dict[str, str] = {}
        self.stop_reason: str | None = None
        self._prepare()

    @abc.abstractmethod
    def _prepare(self) -> None:
        """Set up the state a kind of run keeps (called at the end of `__init__`)."""

    def request_stop(self, reason: str) -> None:
        """Stop at the next cancellation point (the current document or batch finishes)."""
        self.stop_reason = self.stop_reason or reason

    def _checkpoint(self, url: str) -> None:
        if self.stop_reason is not None:
            self.tally.error(url, f"run stopped before this document: {self.stop_reason}")
            raise RunStopped(self.stop_reason)

    async def run(self) -> CrawlRun:
        await self.store.upsert_sources([self.source])
        await self.store.record_crawl_run(self.tally.record(CrawlStatus.RUNNING, finished=False))
        try:
            await self._work(await self.store.document_states(self.source.id))
            status = self.tally.status()
        except RunStopped:
            return await self._finish(CrawlStatus.ABORTED, safe=True)
        except asyncio.CancelledError:
            await asyncio.shield(self._finish(CrawlStatus.ABORTED))
            raise
        except StoreError as exc:
            self.tally.error(self.source.urls[0], f"store failed: {exc}")
            return await self._finish(CrawlStatus.FAILED, safe=True)
        return await self._finish(status)

    @abc.abstractmethod
    async def _work(self, states: dict[str, DocumentState]) -> None:
        """The run's own work, given what earlier runs saved about each document."""

    async def _close_matches(self, changed: list[str] | None) -> None:
        """Close matches of the skills this run brought (of every skill when None). A failure
        here is the run's error, not its end: the records are stored already."""
        if changed is not None and not changed:
            return
        try:
            await update_close_matches(self.store, changed)
        except (StoreError, CloseMatchesStopped, ConfigError) as exc:
            # ConfigError: CREDGRAPH_CLOSE_MATCH_SECONDS set wrong, named in the error.
            self.tally.error(self.source.urls[0], f"close matches not computed: {exc}")

    async def _finish(self, status: CrawlStatus, *, safe: bool = False) -> CrawlRun:
        run = self.tally.record(status)
        try:
            await self.store.record_crawl_run(run)
        except StoreError:
            if not safe:
                raise
        return run

    async def _store(
        self, url: str, result: ParseResult
    ) -> tuple[ParseResult, list[Skill | Occupation]]:
        """Store one document's (or one release batch's) records, linked to the graph's
        nodes; the records as stored, and the framework nodes they brought."""
        result = await credential_alignments(self.store, result)
        result, arrived = await self._linked(result)
        if result.postings:
            result.postings = await resolve_asked(self.store, result.postings)
        for record in result.credentials:
            first = self.first_page_of.get(record.id)
            if first is not None and first != url:
                self.tally.error(
                    url, f"duplicate id {record.id} (also on {first}); the later one is kept"
                )
            self.first_page_of.setdefault(record.id, url)
        reports = []
        if result.issuers:
            reports.append(await self.store.upsert_issuers(result.issuers))
        if result.skills:
            reports.append(await self.store.upsert_skills(result.skills))
        if result.occupations:
            reports.append(await self.store.upsert_occupations(result.occupations))
        if result.credentials:
            reports.append(await self.store.upsert_credentials(result.credentials))
        if result.requirements:
            reports.append(await self.store.upsert_skill_requirements(result.requirements))
        if result.postings:
            reports.append(await self.store.upsert_job_postings(result.postings))
        if result.pathways:
            reports.append(await self.store.upsert_pathways(result.pathways))
            await self._unknown_members(url, result)
        for report in reports:
            self.tally.add(report)
            for rejected in report.rejected:
                self.tally.error(url, f"record rejected: {rejected}")
        if arrived and self.linker is not None:
            async with self.linker_turn:
                relinked = await relink_mentions(self.store, self.linker, arrived)
            self.tally.updated += relinked.updated
            for rejected in relinked.rejected:
                self.tally.error(url, f"record rejected on re-linking: {rejected}")
        return result, arrived

    async def _linked(self, result: ParseResult) -> tuple[ParseResult, list[Skill | Occupation]]:
        """`result` linked, and the framework nodes it brought. Linking fuzzy-matches every
        label no node carries, about 10 ms each against ESCO and O*NET: a page of hundreds
        of new labels takes seconds, so it runs in a thread while the loop goes on."""
        linker = self.linker
        if linker is None:
            return result, []
        async with self.linker_turn:
            # Cancelled, the turn stays the thread's until it ends: another source's page is
            # never linked beside it.
            return await in_thread(_link, linker, result)

    async def _unknown_members(self, url: str, result: ParseResult) -> None:
        """A pathway naming credentials the graph does not hold keeps them as names (its
        steps wait for them); each such pathway is a warning of the run, with the document."""
        for pathway in result.pathways:
            named = list(pathway.credentials())
            known = set((await self.store.resolve_credential_ids(named)).values())
            unknown = [c for c in named if c not in known]
            if unknown:
                self.tally.warnings += 1
                self.tally.error(
                    url,
                    f"pathway {pathway.name!r}: {len(unknown)} of {len(named)} "
                    f"credential(s) not in the graph yet ({unknown[0]}...); "
                    "kept as names",
                )

    async def _save(
        self,
        url: str,
        fetched: FetchResult,
        record_ids: tuple[str, ...],
        next_pages: tuple[str, ...],
    ) -> None:
        await self.store.save_document_states(
            [
                DocumentState(
                    self.source.id,
                    url,
                    fetched.etag,
                    fetched.last_modified,
                    fetched.content_hash,
                    datetime.now(UTC),
                    record_ids,
                    next_pages,
                )
            ]
        )


def _link(linker: Linker, result: ParseResult) -> tuple[ParseResult, list[Skill | Occupation]]:
    """A page's records and postings linked (in a thread), and the nodes they brought."""
    result, arrived = link_page(linker, result)
    if result.postings:
        postings, posting_nodes = link_postings(linker, result.postings)
        arrived = [*arrived, *posting_nodes]
        result.postings = postings
    return result, arrived
