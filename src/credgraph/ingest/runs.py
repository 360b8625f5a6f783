"""Which run a source gets: a taxonomy import for a taxonomy format, else a document crawl."""

from __future__ import annotations

import asyncio

from credgraph.config.sources import CrawlerSettings
from credgraph.fetch.client import Fetcher
from credgraph.formats import TAXONOMY_FORMATS
from credgraph.ingest.documents import DocumentCrawl
from credgraph.ingest.imports import TaxonomyImport
from credgraph.ingest.parse_workers import ParseWorkers
from credgraph.ingest.run import Progress, SourceRun
from credgraph.link import Linker
from credgraph.model.crawl import Source
from credgraph.store.base import GraphStore


def source_run(
    source: Source,
    store: GraphStore,
    fetcher: Fetcher,
    settings: CrawlerSettings,
    progress: Progress | None = None,
    linker: Linker | None = None,
    parsers: ParseWorkers | None = None,
    linker_turn: asyncio.Lock | None = None,
) -> SourceRun:
    """A run of `source`, not started (`await run.run()`); a document crawl parses in
    `parsers` (its own workers when None). Runs sharing `linker` share `linker_turn`."""
    if source.format in TAXONOMY_FORMATS:
        return TaxonomyImport(source, store, fetcher, settings, progress, linker, linker_turn)
    run = DocumentCrawl(source, store, fetcher, settings, progress, linker, linker_turn)
    run.parsers = parsers
    return run
