"""Runs a dead process left RUNNING, recorded ABORTED by whoever holds the source's lease.

A run's final record is written by the process running it. When that process is killed, or
the store was away when the run ended, the record stays RUNNING for ever. Only the holder of
the source's lease may mend it: holding the lease proves no live process is running the source
now, so every RUNNING record of it is a leftover. The scheduler does this before each run;
`credgraph crawl` does it too, under the lease it takes for its own run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from credgraph.model.crawl import CrawlError, CrawlRun, Source
from credgraph.model.values import CrawlStatus
from credgraph.store.ports import CrawlLedger

LEFTOVER_REASON = "the process running it ended before it finished (found by the next run)"


async def abort_leftover_runs(
    store: CrawlLedger, source: Source, runs: Iterable[CrawlRun], now: datetime | None = None
) -> list[CrawlRun]:
    """Record each RUNNING run among `runs` (the source's history) ABORTED; the caller must
    hold the source's lease. Returns the records written. StoreError passes through."""
    at = now or datetime.now(UTC)
    aborted: list[CrawlRun] = []
    for run in runs:
        if run.status is not CrawlStatus.RUNNING:
            continue
        record = replace(
            run, status=CrawlStatus.ABORTED, finished_at=at, errors=run.errors + 1,
            error_samples=(*run.error_samples, CrawlError(source.urls[0], LEFTOVER_REASON)),
        )  # fmt: skip
        await store.record_crawl_run(record)
        aborted.append(record)
    return aborted
