"""Crawling several sources at once: concurrently across sources, politely per host."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import httpx

from credgraph.config.sources import CrawlerSettings
from credgraph.fetch.client import Fetcher
from credgraph.ingest.run import Progress, SourceCrawl
from credgraph.model.crawl import CrawlRun, Source
from credgraph.store.base import GraphStore


async def crawl_sources(
    sources: Sequence[Source],
    store: GraphStore,
    settings: CrawlerSettings,
    *,
    progress: Progress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[CrawlRun]:
    """Run every source once; one CrawlRun per source, in the order given.

    Sources share one Fetcher, so per-host limits hold across sources on the same host.
    """
    async with Fetcher(settings, transport=transport) as fetcher:
        crawls = [SourceCrawl(s, store, fetcher, settings, progress) for s in sources]
        return list(await asyncio.gather(*(c.run() for c in crawls)))
