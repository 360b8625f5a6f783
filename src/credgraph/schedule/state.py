"""What the scheduler's parts share while it runs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from credgraph.config.sources import Config
from credgraph.ingest.parse_workers import ParseWorkers
from credgraph.ingest.run import SourceRun
from credgraph.model.crawl import CrawlRun, Source
from credgraph.schedule.fetchers import FetcherPool
from credgraph.schedule.metrics import CrawlMetrics
from credgraph.schedule.options import SchedulerOptions
from credgraph.store.base import GraphStore


@dataclass
class SchedulerState:
    config: Config
    store: GraphStore
    options: SchedulerOptions
    holder: str
    metrics: CrawlMetrics
    fetchers: FetcherPool
    parsers: ParseWorkers = field(default_factory=ParseWorkers)  # stopped on shutdown
    scheduler: Any = None  # the APScheduler AsyncIOScheduler (untyped library)
    stopping: bool = False
    crawls: dict[str, SourceRun] = field(default_factory=dict)  # by source id
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)  # runs in progress
    unrecorded: dict[str, CrawlRun] = field(default_factory=dict)  # final records to retry

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.config.sources if s.id == source_id), None)
