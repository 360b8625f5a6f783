"""A crawl of a catalog source: plan -> fetch -> parse -> link -> store, page by page, each
page parsed in a worker process (`ingest.parse_workers`) under a deadline.

A document that cannot be fetched, decoded or parsed is recorded as an error and the run goes
on; records a broken document would have yielded are left as they are in the store. At the
end of the run the close matches of the new framework nodes and plain labels are computed
(`link.update_close_matches`), and after a walk of the whole catalog the credentials (and
postings) not seen count one more miss.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from credgraph.errors import FetchError, RobotsDisallowed
from credgraph.fetch.result import FetchResult, Validators
from credgraph.formats.base import Document, ParseError, ParseResult
from credgraph.ingest.linked import LinkedDocuments
from credgraph.ingest.lookahead import Lookahead
from credgraph.ingest.parse_workers import ParseWorkers
from credgraph.ingest.queue import CrawlQueue
from credgraph.ingest.run import SourceRun
from credgraph.link import load_linker
from credgraph.model.crawl import DocumentState
from credgraph.model.records import Occupation, Skill

MAX_NEEDS_PER_DOCUMENT = 50  # linked documents fetched for one page, at most
# Rounds of fetching what a page's parse asks for: a hosted Open Badges 2.0 assertion names
# its BadgeClass by URL, and the BadgeClass names its issuer by URL, so a page of assertions
# needs two; a third for a chain one longer. Past them the parser does without.
MAX_LINK_ROUNDS = 3


def _validators(state: DocumentState | None) -> Validators | None:
    """What a conditional request for a page sends, from what an earlier run saved."""
    return Validators(state.etag, state.last_modified, state.content_hash) if state else None


@dataclass(frozen=True, slots=True)
class _Page:
    """A page as loaded, ahead of its turn or not: fetched, and when its body is new, parsed
    once in a worker (or why it could not be)."""

    fetched: FetchResult
    document: Document | None = None  # None: unchanged since the saved state, not parsed
    parsed: ParseResult | ParseError | None = None


class DocumentCrawl(SourceRun):
    """One run over a catalog source's documents. Every document is parsed by `parsers`
    (worker processes: `ingest.parse_workers`), the crawl's own when none is given."""

    # A crawl's shared pool, set by `source_run` before the run starts; None: its own.
    parsers: ParseWorkers | None = None

    def _prepare(self) -> None:
        self.linked = LinkedDocuments()
        self.new_skills: dict[str, None] = {}  # framework and label skills to match, in order
        self.seen_ids: set[str] = set()
        self.states: dict[str, DocumentState] = {}

    async def _work(self, states: dict[str, DocumentState]) -> None:
        # One index per run (or per crawl, shared): every page's skill and occupation
        # mentions are linked to the canonical nodes the store holds, and learned.
        if self.linker is None:
            self.linker = await load_linker(self.store)
        self.states = states
        if self.parsers is None:
            async with ParseWorkers() as self.parsers:
                complete = await self._crawl(states)
        else:
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

    async def _crawl(self, states: dict[str, DocumentState]) -> bool:
        """Crawl every page; True when the whole catalog was walked (so misses are real).

        The next page is loaded (fetched, then parsed in a worker) while the current one is
        linked and stored (`Lookahead`): its links are known once it is parsed, and the
        store's write runs on its own thread, so the wait for the server, the next page's
        parse and the write overlap. Linking stays in page order (the linker learns each
        page's nodes before the next page is linked), and there is never more than one
        request in flight."""
        queue = CrawlQueue(self.source.urls, states, self.settings.max_pages)
        visited: set[str] = set()
        ahead = Lookahead(self._load)

        def found(url: str, links: list[str]) -> None:
            for page in links:
                if page in visited:
                    self.tally.error(url, f"pagination loop: {url} links back to {page}")
                else:
                    queue.add(page)
            following = queue.peek()
            if following is not None and len(visited) < self.settings.max_pages:
                ahead.start(following)

        try:
            while queue.pending():
                if len(visited) >= self.settings.max_pages:
                    self.tally.error(
                        self.source.urls[0],
                        f"stopped after max_pages={self.settings.max_pages}; "
                        f"{queue.pending()} pages left for later runs (pages not fetched "
                        "before go first)",
                    )
                    return False
                url = queue.pop()
                self._checkpoint(url)
                visited.add(url)
                await self._document(url, states.get(url), ahead, found)
                self.progress(url, self.tally)
        finally:
            ahead.cancel()
        return True

    async def _load(self, url: str) -> _Page:
        """`url` fetched and, when its body is new, parsed once; a fetch error is raised, a
        parse error kept for `_document` (only the load the run uses records anything)."""
        state = self.states.get(url)
        fetched = await self.fetcher.fetch(url, _validators(state))
        if (fetched.not_modified or fetched.unchanged) and state is not None:
            return _Page(fetched)
        # A copy: the worker's copy is pickled from another thread while this one may grow.
        document = self._document_of(fetched, self.linked.to_give())
        assert self.parsers is not None
        try:
            return _Page(fetched, document, await self.parsers.parse(document))
        except ParseError as exc:
            return _Page(fetched, document, exc)

    def _document_of(self, fetched: FetchResult, linked: dict[str, Any]) -> Document:
        return Document(
            url=fetched.final_url,
            text=fetched.text or "",
            source_id=self.source.id,
            format=self.source.format,
            fetched_at=datetime.now(UTC),
            media_type=fetched.media_type,
            content_hash=fetched.content_hash,
            licence=self.source.licence,
            linked=linked,
        )

    async def _document(
        self,
        url: str,
        state: DocumentState | None,
        ahead: Lookahead[_Page],
        found: Callable[[str, list[str]], None],
    ) -> None:
        """Fetch, parse and store one page; `found(url, links)` is told its links as soon as
        they are known (before its records are stored), once, on every path."""
        try:
            page = await ahead.take(url)
        except RobotsDisallowed:
            self.tally.skipped_by_robots += 1
            return found(url, [])
        except FetchError as exc:
            self.tally.error(url, exc.reason)
            return self._failed(url, state, found)
        fetched = page.fetched
        if page.document is None and state is not None:
            self.tally.not_modified += fetched.not_modified
            self.tally.fetched += fetched.unchanged
            self.tally.documents_ok += 1
            self.seen_ids.update(state.record_ids)
            # A 304 may leave out the Link header: the saved links (body and header) still hold.
            links = tuple(dict.fromkeys([*state.next_pages, *fetched.next_links]))
            found(url, list(links))
            if (fetched.etag, fetched.last_modified, links) != (
                state.etag,
                state.last_modified,
                state.next_pages,
            ):
                await self._save(url, fetched, state.record_ids, links)
            return None
        self.tally.fetched += 1
        try:
            result = await self._parse(page)
        except ParseError as exc:
            self.tally.error(url, exc.reason)
            return self._failed(url, state, found)
        links = tuple(dict.fromkeys([*result.next_pages, *fetched.next_links]))
        found(url, list(links))
        stored, _arrived = await self._store(url, result)
        record_ids = [c.id for c in stored.credentials] + [p.id for p in stored.postings]
        self.tally.documents_ok += 1
        await self._save(url, fetched, tuple(record_ids), links)
        return None

    def _failed(
        self, url: str, state: DocumentState | None, found: Callable[[str, list[str]], None]
    ) -> None:
        """A page that could not be read this run: its records are still out there as far as
        we know, and so are the pages it led to last time, which the walk follows (else their
        records would count as missing, and go stale while still published)."""
        if state is None:
            return found(url, [])
        self.seen_ids.update(state.record_ids)
        return found(url, list(state.next_pages))

    async def _parse(self, page: _Page) -> ParseResult:
        """The page's records: parsed again, in a worker, each time the documents it needs
        and was not given are fetched (decoded in a worker too), for up to `MAX_LINK_ROUNDS`
        rounds and `MAX_NEEDS_PER_DOCUMENT` fetches. What it still needs then is a warning."""
        document, result = page.document, page.parsed
        assert document is not None and result is not None
        if isinstance(result, ParseError):
            raise result
        fetches, cut = 0, False
        for _ in range(MAX_LINK_ROUNDS):
            unseen = [u for u in dict.fromkeys(result.needs) if u not in document.linked]
            missing = [u for u in unseen if u not in self.linked]
            cut = cut or len(missing) > MAX_NEEDS_PER_DOCUMENT - fetches
            for needed in missing[: MAX_NEEDS_PER_DOCUMENT - fetches]:
                await self._fetch_linked(needed)
                fetches += 1
            more = self.linked.asked_for(unseen)
            if not more:
                break
            document = replace(document, linked={**document.linked, **more})
            assert self.parsers is not None
            result = await self.parsers.parse(document)
        url = page.fetched.final_url
        for warning in result.warnings:  # a skipped record, an unreadable block...
            self.tally.warnings += 1
            self.tally.error(url, warning)
        unread = [u for u in dict.fromkeys(result.needs) if u not in document.linked]
        if unread:
            why = (
                f"the page names more than {MAX_NEEDS_PER_DOCUMENT} to fetch"
                if cut
                else f"its parse still asked after {MAX_LINK_ROUNDS} rounds (a chain that "
                "deep, or one fallback a round)"
            )
            self.tally.warnings += 1
            self.tally.error(
                url,
                f"{len(unread)} linked document(s) not read ({unread[0]}...): {why}; "
                "its records are stored without them",
            )
        return result

    async def _fetch_linked(self, url: str) -> None:
        """`url` fetched and decoded (in a worker) into `linked`; a failure is kept as None
        (the page's parser then does without it and says so) and recorded as an error."""
        try:
            fetched = await self.fetcher.fetch(url)
            doc = Document(
                url=fetched.final_url,
                text=fetched.text or "",
                source_id=self.source.id,
                format=self.source.format,
                fetched_at=datetime.now(UTC),
            )
            assert self.parsers is not None
            self.linked.add(url, await self.parsers.decode(doc), len(doc.text))
        except (FetchError, ParseError) as exc:
            self.tally.error(url, f"linked document: {exc}")
            self.linked.add(url, None, 0)

    async def _store(
        self, url: str, result: ParseResult
    ) -> tuple[ParseResult, list[Skill | Occupation]]:
        result, arrived = await super()._store(url, result)
        self._remember_skills(result, arrived)
        self.seen_ids.update([c.id for c in result.credentials] + [p.id for p in result.postings])
        return result, arrived

    def _remember_skills(self, result: ParseResult, arrived: list[Skill | Occupation]) -> None:
        """The skills whose close matches the end of the run computes: framework nodes that
        arrived, and issuer-local labels no framework node carries."""
        self.new_skills.update((n.id, None) for n in arrived if isinstance(n, Skill))
        for c in result.credentials:
            self.new_skills.update(
                (link.skill.id, None) for link in c.skills if link.skill.id.startswith("label:")
            )
