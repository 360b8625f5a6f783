"""Counting one crawl run as it goes, and turning the counts into a CrawlRun record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from credgraph.errors import shown_url
from credgraph.model.crawl import CrawlError, CrawlRun
from credgraph.model.values import CrawlStatus
from credgraph.model.views import UpsertReport

MAX_ERROR_SAMPLES = 50
MAX_REASON_CHARS = 1000  # of one error sample


@dataclass(slots=True)
class RunTally:
    source_id: str
    run_id: str
    started_at: datetime
    fetched: int = 0
    not_modified: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_by_robots: int = 0
    errors: int = 0
    documents_ok: int = 0
    warnings: int = 0
    samples: list[CrawlError] = field(default_factory=list)

    def error(self, url: str, reason: str) -> None:
        self.errors += 1
        if len(self.samples) < MAX_ERROR_SAMPLES:
            # a reason quotes what it read (a record's id, a value): one of 200,000 characters
            # is kept as its start, in the run's record and on the console
            if len(reason) > MAX_REASON_CHARS:
                reason = f"{reason[:MAX_REASON_CHARS]}… ({len(reason):,} characters)"
            if len(url) > MAX_REASON_CHARS:
                url = f"{url[:MAX_REASON_CHARS]}…"
            # the run's record is shown on the console and by the API: no catalog's password
            self.samples.append(CrawlError(shown_url(url), shown_url(reason)))

    def add(self, report: UpsertReport) -> None:
        self.created += report.created
        self.updated += report.updated
        self.unchanged += report.unchanged

    def status(self, *, failed: bool = False, aborted: bool = False) -> CrawlStatus:
        if aborted:
            return CrawlStatus.ABORTED
        if failed or (self.errors and not self.documents_ok):
            return CrawlStatus.FAILED
        return CrawlStatus.PARTIAL if self.errors else CrawlStatus.SUCCEEDED

    def record(self, status: CrawlStatus, finished: bool = True) -> CrawlRun:
        return CrawlRun(
            id=self.run_id,
            source_id=self.source_id,
            status=status,
            started_at=self.started_at,
            finished_at=datetime.now(UTC) if finished else None,
            fetched=self.fetched,
            not_modified=self.not_modified,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            skipped_by_robots=self.skipped_by_robots,
            errors=self.errors,
            error_samples=tuple(self.samples),
        )
