"""CrawlRun: one ingest of one source."""

from __future__ import annotations

from datetime import datetime

import strawberry

from credgraph.api.types.crawl_error import CrawlError
from credgraph.api.types.crawl_status import CrawlStatus
from credgraph.model.crawl import CrawlRun as CrawlRunModel


@strawberry.type(
    description=(
        "One crawl of one source. Document counts: fetched, notModified, skippedByRobots, "
        "errors. Record counts: created, updated, unchanged."
    )
)
class CrawlRun:
    id: strawberry.ID = strawberry.field(description="The run's id.")
    source: str = strawberry.field(description="Id of the source crawled.")
    status: CrawlStatus = strawberry.field(description="How the run ended, or RUNNING.")
    started_at: datetime = strawberry.field(description="When the run started.")
    finished_at: datetime | None = strawberry.field(
        description="When the run ended; null while it runs."
    )
    fetched: int = strawberry.field(description="Documents fetched with a new body.")
    not_modified: int = strawberry.field(
        description="Documents the server reported unchanged (HTTP 304)."
    )
    created: int = strawberry.field(description="Records new to the graph.")
    updated: int = strawberry.field(description="Records that changed.")
    unchanged: int = strawberry.field(description="Records read again without change.")
    skipped_by_robots: int = strawberry.field(description="Documents robots.txt disallowed.")
    errors: int = strawberry.field(description="Documents that failed.")
    error_samples: list[CrawlError] = strawberry.field(
        description="Some of the failed documents, with reasons."
    )

    @classmethod
    def from_model(cls, run: CrawlRunModel) -> CrawlRun:
        return cls(
            id=strawberry.ID(run.id),
            source=run.source_id,
            status=CrawlStatus.from_model(run.status),
            started_at=run.started_at,
            finished_at=run.finished_at,
            fetched=run.fetched,
            not_modified=run.not_modified,
            created=run.created,
            updated=run.updated,
            unchanged=run.unchanged,
            skipped_by_robots=run.skipped_by_robots,
            errors=run.errors,
            error_samples=[CrawlError.from_model(e) for e in run.error_samples],
        )
