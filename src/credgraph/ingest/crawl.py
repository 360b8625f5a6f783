"""Crawling several sources at once: concurrently across sources, politely per host, with
one linker for the catalogs, so that a node one source brings links another's mentions."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

import httpx

from credgraph.config.sources import CrawlerSettings
from credgraph.errors import StoreError
from credgraph.fetch.client import Fetcher
from credgraph.formats import TAXONOMY_FORMATS
from credgraph.ingest.parse_workers import ParseWorkers
from credgraph.ingest.run import Progress
from credgraph.ingest.runs import source_run
from credgraph.link import load_linker
from credgraph.model.crawl import CrawlRun, Source
from credgraph.store.base import GraphStore


async def crawl_sources(
    sources: Sequence[Source],
    store: GraphStore,
    settings: CrawlerSettings,
    *,
    progress: Progress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    parsers: ParseWorkers | None = None,
) -> list[CrawlRun]:
    """Run every source once; one CrawlRun per source, in the order given.

    Sources share one Fetcher, so per-host limits hold across sources on the same host, the
    catalogs one linker (taxonomy imports among `sources` re-link after themselves), and one
    pool of parse workers: `parsers`, or one of the crawl's own, stopped when it ends.
    """
    if parsers is None:
        async with ParseWorkers() as own:
            return await crawl_sources(
                sources, store, settings, progress=progress, transport=transport, parsers=own
            )
    catalogs = [s for s in sources if s.format not in TAXONOMY_FORMATS]
    linker = None
    if len(catalogs) > 1:
        with contextlib.suppress(StoreError):  # each run then loads its own, and says why not
            linker = await load_linker(store)
    turn = asyncio.Lock()  # the shared linker's: one page linked at a time
    async with Fetcher(settings, transport=transport) as fetcher:
        crawls = [
            source_run(
                s,
                store,
                fetcher,
                settings,
                progress,
                linker if s.format not in TAXONOMY_FORMATS else None,
                parsers,
                turn,
            )
            for s in sources
        ]
        return list(await asyncio.gather(*(c.run() for c in crawls)))
