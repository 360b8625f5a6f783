"""The crawl ledger role: sources, crawl runs, what each document last gave, and stale marking.

What a crawl run records about itself (`credgraph.ingest`) and the scheduler reads back
(backoff, status, retention); none of it is part of the graph the API serves.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from credgraph.model.crawl import CrawlRun, DocumentState, Source
from credgraph.model.views import StaleReport, UpsertReport


class CrawlLedger(Protocol):
    """Sources, their crawl runs and document states; misses counted per source."""

    @abc.abstractmethod
    async def upsert_sources(self, batch: Iterable[Source]) -> UpsertReport: ...

    @abc.abstractmethod
    async def list_sources(self) -> list[Source]: ...

    @abc.abstractmethod
    async def record_crawl_run(self, run: CrawlRun) -> None:
        """Insert a crawl run, or replace its record while that is RUNNING (runs are recorded
        when they start and when they end). A record of an ended run is final: a run recorded
        ABORTED by the next holder of its source's lease stays so when the process that lost
        the lease writes its own end later; writing an ended run again changes nothing."""

    @abc.abstractmethod
    async def crawl_runs(self, source_id: str | None = None, limit: int = 20) -> list[CrawlRun]:
        """Most recent first."""

    @abc.abstractmethod
    async def delete_crawl_runs(self, started_before: datetime) -> int:
        """Delete crawl runs that started before `started_before`; how many went.

        Each source's most recent run and every RUNNING run are kept whatever their age, so
        a source's last run (and its backoff) stays known however rarely it runs."""

    @abc.abstractmethod
    async def save_document_states(self, states: Sequence[DocumentState]) -> None:
        """Insert or replace what the crawl learned about documents (by source and URL)."""

    @abc.abstractmethod
    async def document_states(self, source_id: str) -> dict[str, DocumentState]:
        """The saved state of every document of a source, by URL."""

    @abc.abstractmethod
    async def mark_missed(
        self, source_id: str, seen_ids: Iterable[str], threshold: int
    ) -> StaleReport:
        """After a full run of a source: its credentials not in `seen_ids` count one more miss
        and become stale at `threshold` misses; seen ones are fresh again. Nothing is deleted."""

    @abc.abstractmethod
    async def mark_postings_missed(
        self, source_id: str, seen_ids: Iterable[str], threshold: int
    ) -> StaleReport:
        """`mark_missed` for the postings of a source."""
