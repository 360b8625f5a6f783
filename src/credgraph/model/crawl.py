"""Sources (configured catalogs) and crawl runs (one ingest of one source)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from credgraph.model.values import CrawlStatus

# The source id of credentials added by badge verification (submitted, not crawled): never a
# configured source.
VERIFIED_SUBMISSION = "verified-submission"


@dataclass(frozen=True, slots=True)
class Source:
    """A configured catalog: where to fetch, in which format, on what schedule, under what terms."""

    id: str
    format: str
    urls: tuple[str, ...]
    schedule: str | None = None  # cron, UTC
    licence: str | None = None  # licence or terms of use of the catalog
    name: str | None = None
    every: str | None = None  # interval such as "6h", instead of a cron schedule


@dataclass(frozen=True, slots=True)
class CrawlError:
    """One document that failed in a run, with the URL and a human reason."""

    url: str
    reason: str


@dataclass(frozen=True, slots=True)
class CrawlRun:
    """One run of one source. Counts are documents (fetched, notModified, skippedByRobots,
    errors) or records (created, updated, unchanged)."""

    id: str
    source_id: str
    status: CrawlStatus
    started_at: datetime
    finished_at: datetime | None = None
    fetched: int = 0
    not_modified: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_by_robots: int = 0
    errors: int = 0
    error_samples: tuple[CrawlError, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class DocumentState:
    """What the last successful crawl learned about one document: validators for a
    conditional GET, its content hash, the records it yielded and the pages it linked to,
    so an unchanged document costs no parsing and still counts its records as seen."""

    source_id: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    fetched_at: datetime | None = None
    record_ids: tuple[str, ...] = ()
    next_pages: tuple[str, ...] = ()
