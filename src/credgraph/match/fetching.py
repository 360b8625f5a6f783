"""A job posting named by URL, fetched through the guarded `Fetcher` (robots.txt, SSRF guard:
private and loopback addresses refused unless the settings allow them, size cap, timeouts).

    fetched = await fetch_posting("https://jobs.example/123")  # .posting, .warnings

The page is read as the `jobposting` format reads a crawled one (JSON-LD in HTML, a JSON
feed); the posting whose URL is the page's, else the first, is the answer, with the reader's
warnings and a word on the postings it passed over.

Reading a page of up to 2 MB is CPU work (400,000 unclosed `<div>` take seconds), so it runs
in a parse worker process (`ingest.parse_workers`), never on the event loop, under a deadline
a person waiting can bear (`PARSE_SECONDS`): past it the worker is killed and the page is a
`PostingPageTooSlow` naming the limit. The workers (`PAGE_PARSERS`) are one pool per process,
shared by every request: `credgraph serve` starts them as it starts (`api.warming`), else the
first page does; the API's lifespan stops them with the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from credgraph.config.sources import CrawlerSettings
from credgraph.errors import FetchError, shown_url
from credgraph.fetch.client import Fetcher
from credgraph.fetch.guard import pinned_transport
from credgraph.formats.base import Document, ParseError
from credgraph.ingest.parse_workers import ParseTimedOut, ParseWorkers
from credgraph.model.jobs import JobPosting

MATCH_SOURCE = "match-job-url"
# One page, asked for by a person waiting: short timeout, small cap, no politeness delay.
SETTINGS = CrawlerSettings(
    delay_seconds=0.0, timeout_seconds=10.0, max_retries=0, max_response_bytes=2 * 1024 * 1024
)
# A real posting page parses in milliseconds; 3 s is a page built to be slow, and still leaves
# the reading and ranking room inside the API's 10 s for an operation.
PARSE_SECONDS = 3.0
PARSE_LIMIT = "the limit for reading one posting page"
# Two: one slow page does not hold every other request's page; started on first use.
PAGE_PARSERS = ParseWorkers(PARSE_SECONDS, workers=2, limit=PARSE_LIMIT)


@dataclass(frozen=True, slots=True)
class FetchedPosting:
    """The posting a page holds, and what reading the page left out or doubted."""

    posting: JobPosting
    warnings: tuple[str, ...] = ()


class PostingNotFound(FetchError):
    """The page was fetched but holds no job posting."""


class PostingPageTooSlow(FetchError):
    """The page was fetched, but reading it ran past `PARSE_SECONDS` and was stopped."""


class PostingURLInvalid(FetchError):
    """Not the address of a web page: refused before anything is fetched. The message reads
    "'URL' REASON"."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, reason)
        self.args = (f"{shown_url(url)[:80]!r} {reason}",)


def checked_posting_url(url: str) -> str:
    """`url` when it can name a posting page: http or https (in any case), with a host whose
    name is valid; PostingURLInvalid naming what is wrong otherwise. The guard decides later
    whether the host may be fetched."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:  # a port that is no number, a control character...
        raise PostingURLInvalid(url, f"is not a valid URL: {exc}") from None
    if parsed.scheme not in ("http", "https"):  # httpx lowers the scheme's case
        raise PostingURLInvalid(url, "is not an http(s) URL")
    if not parsed.host:
        raise PostingURLInvalid(url, "names no host")
    try:
        parsed.host.encode("idna")
    except UnicodeError:
        raise PostingURLInvalid(
            url,
            f"names host {parsed.host[:80]!r}, which is not a valid host name (a label is "
            "empty or longer than 63 characters)",
        ) from None
    return url


async def fetch_posting(
    url: str,
    settings: CrawlerSettings = SETTINGS,
    transport: httpx.AsyncBaseTransport | None = None,
    parsers: ParseWorkers | None = None,
) -> FetchedPosting:
    """The job posting at `url`, with the page's warnings, the page parsed by `parsers`
    (`PAGE_PARSERS` when None). Raises FetchError (PostingURLInvalid for a URL that names no
    web page, BlockedURL for refused addresses, PostingPageTooSlow past the parse deadline)."""
    checked_posting_url(url)
    transport = transport or pinned_transport(allow_private=settings.allow_private_networks)
    async with Fetcher(settings, transport=transport) as fetcher:
        result = await fetcher.fetch(url)
    text = result.text or ""
    doc = Document(
        url=result.final_url or url,
        text=text,
        source_id=MATCH_SOURCE,
        format="jobposting",
        fetched_at=datetime.now(UTC),
        media_type=result.media_type,
        content_hash=result.content_hash,
    )
    try:
        parsed = await (parsers or PAGE_PARSERS).parse(doc)
    except ParseTimedOut as exc:
        raise PostingPageTooSlow(url, exc.reason) from exc
    except ParseError as exc:
        raise PostingNotFound(url, str(exc)) from exc
    if not parsed.postings:
        why = "; ".join(parsed.warnings[:3]) or "the page has no schema.org JobPosting"
        raise PostingNotFound(url, why)
    warnings = list(parsed.warnings)
    at_url = [p for p in parsed.postings if p.url == doc.url]
    posting = (at_url or parsed.postings)[0]
    if len(parsed.postings) > 1:
        which = "the one at its URL" if at_url else f"the first ({posting.title!r:.80})"
        warnings.append(f"the page holds {len(parsed.postings)} job postings; {which} was matched")
    return FetchedPosting(posting, tuple(warnings))
