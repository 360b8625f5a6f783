"""Crawling several sources at once: concurrently across sources, politely per host, with
one linker for the catalogs, so that a node one source brings links another's mentions.

The taxonomy imports among the sources run first (concurrently among themselves), then the
catalogs: a catalog crawled beside an import linked its pages against the taxonomy as far as
it was stored when the catalog began, and stored them after the import had re-linked what it
found, so its mentions of the taxonomy stayed unlinked until the next import."""

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
    catalogs one linker, loaded once the taxonomy imports among `sources` have ended (they
    run first), and one pool of parse workers: `parsers`, or one of the crawl's own, stopped
    when it ends.
    """
    if parsers is None:
        async with ParseWorkers() as own:
            return await crawl_sources(
                sources, store, settings, progress=progress, transport=transport, parsers=own
            )
    taxonomies = [i for i, s in enumerate(sources) if s.format in TAXONOMY_FORMATS]
    catalogs = [i for i, s in enumerate(sources) if s.format not in TAXONOMY_FORMATS]
    done: dict[int, CrawlRun] = {}
    async with Fetcher(settings, transport=transport) as fetcher:
        imports = [source_run(sources[i], store, fetcher, settings, progress) for i in taxonomies]
        done.update(zip(taxonomies, await asyncio.gather(*(r.run() for r in imports)), strict=True))
        linker = None
        if len(catalogs) > 1:
            with contextlib.suppress(StoreError):  # each run then loads its own, and says why not
                linker = await load_linker(store)
        turn = asyncio.Lock()  # the shared linker's: one page linked at a time
        crawls = [
            source_run(sources[i], store, fetcher, settings, progress, linker, parsers, turn)
            for i in catalogs
        ]
        done.update(zip(catalogs, await asyncio.gather(*(r.run() for r in crawls)), strict=True))
    return [done[i] for i in range(len(sources))]
