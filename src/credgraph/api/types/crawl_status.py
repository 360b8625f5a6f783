"""CrawlStatus: how a crawl run ended, or that it is still running."""

from __future__ import annotations

import enum

import strawberry

from credgraph.model.values import CrawlStatus as CrawlStatusModel


@strawberry.enum(description="How a crawl run ended, or that it is still running.")
class CrawlStatus(enum.Enum):
    RUNNING = strawberry.enum_value("RUNNING", description="Started and not finished yet.")
    SUCCEEDED = strawberry.enum_value("SUCCEEDED", description="Every document was read.")
    PARTIAL = strawberry.enum_value(
        "PARTIAL", description="Finished, but some documents failed (see errorSamples)."
    )
    FAILED = strawberry.enum_value("FAILED", description="Nothing could be read.")
    ABORTED = strawberry.enum_value("ABORTED", description="Stopped before the end.")

    @classmethod
    def from_model(cls, value: CrawlStatusModel) -> CrawlStatus:
        return cls[value.name]
