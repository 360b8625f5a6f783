"""One crawl run of one source: plan -> fetch -> parse -> link -> store, page by page.

A document that cannot be fetched, decoded or parsed is recorded as an error and the run goes
on; records a broken document would have yielded are left as they are in the store. A store
failure ends the run as FAILED (nothing half-written: each upsert is one transaction).

Linking as stored: each page's mentions are linked to the framework nodes known so far, and
the framework nodes a page brings (an alignment's ESCO URI, a CASE framework's items) join
the linker at once; credentials stored earlier that mention such a node's label as a plain
`label:` skill are re-linked right after the page. At the end of the run the close matches of
the new framework nodes and plain labels are computed (`link.update_close_matches`); after a
taxonomy import, every skill's are.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from credgraph.config.sources import CrawlerSettings
from credgraph.errors import FetchError, RobotsDisallowed, StoreError
from credgraph.fetch.client import Fetcher
from credgraph.fetch.result import FetchResult, Validators
from credgraph.formats import FORMATS, TAXONOMY_FORMATS, parser_for
from credgraph.formats.base import Document, ParseError, ParseResult
from credgraph.ingest.asked_credentials import resolve_asked
from credgraph.ingest.crosswalk import owner_of, store_equivalences
from credgraph.ingest.queue import CrawlQueue
from credgraph.ingest.report import RunTally
from credgraph.ingest.stacking import credential_alignments
from credgraph.ingest.taxonomy import download_release, reader_for, scratch_dir
from credgraph.link import (
    Linker,
    link_page,
    load_linker,
    relink,
    relink_mentions,
    update_close_matches,
)
from credgraph.link.postings import link_postings, relink_postings
from credgraph.model.crawl import CrawlRun, DocumentState, Source
from credgraph.model.records import Equivalence, Occupation, Provenance, Skill
from credgraph.model.values import CrawlStatus
from credgraph.store.base import GraphStore

Progress = Callable[[str, RunTally], None]
MAX_NEEDS_PER_DOCUMENT = 50


def new_run_id(source_id: str, at: datetime) -> str:
    return f"{source_id}@{at.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


class RunStopped(Exception):
    """Raised at a cancellation point after `SourceCrawl.request_stop`."""


class SourceCrawl:
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
    ) -> None:
        """`linker`: one shared by the runs of one crawl, so that a node one source brings
        links the mentions of another at once; by default the run loads its own."""
        self.source = source
        self.store = store
        self.fetcher = fetcher
        self.settings = settings
        self.progress = progress or (lambda _url, _tally: None)
        started = datetime.now(UTC)
        self.tally = RunTally(source.id, new_run_id(source.id, started), started)
        self.parse = parser_for(source.format) if source.format in FORMATS else None
        self.linked: dict[str, Any] = {}
        self.linker: Linker | None = linker
        self.new_skills: dict[str, None] = {}  # framework and label skills to match, in order
        self.seen_ids: set[str] = set()
        self.first_page_of: dict[str, str] = {}
        self.stop_reason: str | None = None

    def request_stop(self, reason: str) -> None:
        """Stop at the next cancellation point (the current document or batch finishes)."""
        self.stop_reason = self.stop_reason or reason

    def _checkpoint(self, url: str) -> None:
        if self.stop_reason is not None:
            self.tally.error(url, f"run stopped before this document: {self.stop_reason}")
            raise RunStopped(self.stop_reason)
        self.equivalences: list[Equivalence] = []  # of the crosswalk document being read

    async def run(self) -> CrawlRun:
        await self.store.upsert_sources([self.source])
        await self.store.record_crawl_run(self.tally.record(CrawlStatus.RUNNING, finished=False))
        try:
            states = await self.store.document_states(self.source.id)
            if self.source.format in TAXONOMY_FORMATS:
                await self._import_taxonomies(states)
                complete = False  # taxonomy nodes are not credentials: nothing goes stale
                if self.tally.created or self.tally.updated:
                    # Mentions crawled before this taxonomy arrived now join its nodes.
                    linker = await load_linker(self.store)
                    relinked = await relink(self.store, linker)
                    self.tally.updated += relinked.updated
                    self.tally.updated += await relink_postings(self.store, linker)
                    await self._close_matches(None)
            else:
                # One index per run (or per crawl, shared): every page's skill and occupation
                # mentions are linked to the canonical nodes the store holds, and learned.
                if self.linker is None:
                    self.linker = await load_linker(self.store)
                complete = await self._crawl(states)
                await self._close_matches(list(self.new_skills))
            if complete:
                await self.store.mark_missed(
                    self.source.id, self.seen_ids, self.settings.stale_after_misses
                )
                if self.source.format == "jobposting":
                    await self.store.mark_postings_missed(
                        self.source.id, self.seen_ids, self.settings.stale_after_misses
                    )
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

    async def _close_matches(self, changed: list[str] | None) -> None:
        """Close matches of the skills this run brought (of every skill when None). A failure
        here is the run's error, not its end: the records are stored already."""
        if changed is not None and not changed:
            return
        try:
            await update_close_matches(self.store, changed)
        except StoreError as exc:
            self.tally.error(self.source.urls[0], f"close matches not computed: {exc}")

    async def _finish(self, status: CrawlStatus, *, safe: bool = False) -> CrawlRun:
        run = self.tally.record(status)
        try:
            await self.store.record_crawl_run(run)
        except StoreError:
            if not safe:
                raise
        return run

    async def _crawl(self, states: dict[str, DocumentState]) -> bool:
        """Crawl every page; True when the whole catalog was walked (so misses are real)."""
        queue = CrawlQueue(self.source.urls, states, self.settings.max_pages)
        visited: set[str] = set()
        while queue.pending():
            if len(visited) >= self.settings.max_pages:
                self.tally.error(
                    self.source.urls[0],
                    f"stopped after max_pages={self.settings.max_pages}; {queue.pending()} "
                    "pages left for later runs (pages not fetched before go first)",
                )
                return False
            url = queue.pop()
            self._checkpoint(url)
            visited.add(url)
            for page in await self._document(url, states.get(url)):
                if page in visited:
                    self.tally.error(url, f"pagination loop: {url} links back to {page}")
                else:
                    queue.add(page)
            self.progress(url, self.tally)
        return True

    async def _import_taxonomies(self, states: dict[str, DocumentState]) -> None:
        read, folder_files = reader_for(self.source.format)
        for url in self.source.urls:
            state = states.get(url)
            validators = (
                Validators(state.etag, state.last_modified, state.content_hash) if state else None
            )
            with scratch_dir() as workdir:
                try:
                    fetched, files = await download_release(
                        self.fetcher, url, Path(workdir), folder_files, validators, self.tally.error
                    )
                except RobotsDisallowed:
                    self.tally.skipped_by_robots += 1
                    continue
                except FetchError as exc:
                    self.tally.error(url, exc.reason)
                    continue
                if files is None:  # unchanged release
                    self.tally.not_modified += 1
                    self.tally.documents_ok += 1
                    continue
                self.tally.fetched += 1
                try:
                    assert fetched is not None
                    provenance = Provenance(
                        self.source.id,
                        url,
                        self.source.format,
                        datetime.now(UTC),
                        fetched.content_hash,
                        self.source.licence,
                    )
                    self.equivalences = []
                    for batch in read(files, batch_size=5000, provenance=provenance):
                        for warning in batch.warnings:
                            self.tally.warnings += 1
                            self.tally.error(url, warning)
                        self._checkpoint(url)  # the release stays unsaved: re-read next run
                        await self._store(url, batch)
                    settled = await self._store_equivalences(url)
                except ParseError as exc:  # e.g. the release lacks its main file
                    self.tally.error(url, exc.reason)
                    continue
                finally:
                    close = getattr(files, "close", None)
                    if close is not None:
                        close()
                self.tally.documents_ok += 1
                assert fetched is not None
                if settled:  # else read it again next run: the missing ends may have arrived
                    await self._save(url, fetched, (), ())

    async def _store_equivalences(self, url: str) -> bool:
        """Replace what this crosswalk document states; False when some pairs could not be
        stored (an end not imported yet)."""
        if self.source.format != "crosswalk":
            return True
        report = await store_equivalences(
            self.store, owner_of(self.source.id, url), self.equivalences
        )
        self.tally.created += report.created
        self.tally.updated += report.deleted
        self.tally.unchanged += report.unchanged
        if report.rejected:
            examples = "; ".join(str(r) for r in report.rejected[:3])
            self.tally.error(
                url,
                f"{len(report.rejected)} of {len(self.equivalences)} equivalences not stored "
                f"(import the taxonomies they join first; this crosswalk is read again on the "
                f"next run), e.g. {examples}",
            )
        return not report.rejected

    async def _document(self, url: str, state: DocumentState | None) -> list[str]:
        validators = (
            Validators(state.etag, state.last_modified, state.content_hash) if state else None
        )
        try:
            fetched = await self.fetcher.fetch(url, validators)
        except RobotsDisallowed:
            self.tally.skipped_by_robots += 1
            return []
        except FetchError as exc:
            self.tally.error(url, exc.reason)
            if state:  # its records are still out there as far as we know
                self.seen_ids.update(state.record_ids)
            return []
        if (fetched.not_modified or fetched.unchanged) and state is not None:
            self.tally.not_modified += fetched.not_modified
            self.tally.fetched += fetched.unchanged
            self.tally.documents_ok += 1
            self.seen_ids.update(state.record_ids)
            # A 304 may leave out the Link header: the saved links (body and header) still hold.
            links = tuple(dict.fromkeys([*state.next_pages, *fetched.next_links]))
            if (fetched.etag, fetched.last_modified, links) != (
                state.etag,
                state.last_modified,
                state.next_pages,
            ):
                await self._save(url, fetched, state.record_ids, links)
            return list(links)
        self.tally.fetched += 1
        try:
            result = await self._parse(fetched)
        except ParseError as exc:
            self.tally.error(url, exc.reason)
            if state:
                self.seen_ids.update(state.record_ids)
            return []
        record_ids = await self._store(url, result)
        self.tally.documents_ok += 1
        links = tuple(dict.fromkeys([*result.next_pages, *fetched.next_links]))
        await self._save(url, fetched, tuple(record_ids), links)
        return list(links)

    async def _parse(self, fetched: FetchResult) -> ParseResult:
        document = Document(
            url=fetched.final_url,
            text=fetched.text or "",
            source_id=self.source.id,
            format=self.source.format,
            fetched_at=datetime.now(UTC),
            media_type=fetched.media_type,
            content_hash=fetched.content_hash,
            licence=self.source.licence,
            linked=self.linked,
        )
        assert self.parse is not None
        try:
            result = self.parse(document)
            missing = [u for u in dict.fromkeys(result.needs) if u not in self.linked]
            if missing:
                for needed in missing[:MAX_NEEDS_PER_DOCUMENT]:
                    self.linked[needed] = await self._linked(needed)
                result = self.parse(document)
        except ParseError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            # A parser bug on odd input must not end the run: record it against the document.
            raise ParseError(
                fetched.final_url, f"could not parse: {type(exc).__name__}: {exc}"
            ) from exc
        for warning in result.warnings:  # a skipped record, an unreadable block...
            self.tally.warnings += 1
            self.tally.error(fetched.final_url, warning)
        return result

    async def _linked(self, url: str) -> Any:
        try:
            fetched = await self.fetcher.fetch(url)
            doc = Document(
                url=fetched.final_url,
                text=fetched.text or "",
                source_id=self.source.id,
                format=self.source.format,
                fetched_at=datetime.now(UTC),
            )
            return doc.json()
        except (FetchError, ParseError) as exc:
            self.tally.error(url, f"linked document: {exc}")
            return None

    async def _store(self, url: str, result: ParseResult) -> list[str]:
        result = await credential_alignments(self.store, result)
        result, arrived = link_page(self.linker, result)
        if result.postings:
            postings, posting_nodes = link_postings(self.linker, result.postings)
            arrived = [*arrived, *posting_nodes]
            result.postings = await resolve_asked(self.store, postings)
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
        self.equivalences.extend(result.equivalences)  # stored once the document is read
        for report in reports:
            self.tally.add(report)
            for rejected in report.rejected:
                self.tally.error(url, f"record rejected: {rejected}")
        if arrived and self.linker is not None:
            relinked = await relink_mentions(self.store, self.linker, arrived)
            self.tally.updated += relinked.updated
            for rejected in relinked.rejected:
                self.tally.error(url, f"record rejected on re-linking: {rejected}")
        self._remember_skills(result, arrived)
        ids = [c.id for c in result.credentials] + [p.id for p in result.postings]
        self.seen_ids.update(ids)
        return ids

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

    def _remember_skills(self, result: ParseResult, arrived: list[Skill | Occupation]) -> None:
        """The skills whose close matches the end of the run computes: framework nodes that
        arrived, and issuer-local labels no framework node carries."""
        self.new_skills.update((n.id, None) for n in arrived if isinstance(n, Skill))
        for c in result.credentials:
            self.new_skills.update(
                (link.skill.id, None) for link in c.skills if link.skill.id.startswith("label:")
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
