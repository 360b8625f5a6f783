"""CrawlError: one document that failed in a crawl run."""

from __future__ import annotations

import strawberry

from credgraph.model.crawl import CrawlError as CrawlErrorModel


@strawberry.type(description="A document a crawl run could not fetch or read, and why.")
class CrawlError:
    url: str = strawberry.field(description="The document's URL.")
    reason: str = strawberry.field(description="What went wrong, in plain words.")

    @classmethod
    def from_model(cls, error: CrawlErrorModel) -> CrawlError:
        return cls(url=error.url, reason=error.reason)
