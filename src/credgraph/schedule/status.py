"""What `credgraph sources` shows: each source's last run, next run, backoff and who is
crawling it now, read from the store and the configuration (not from a running scheduler,
so it answers the same whichever replica is asked, or none)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from credgraph.config.sources import Config
from credgraph.model.crawl import CrawlRun, Source
from credgraph.model.values import CrawlStatus
from credgraph.schedule.backoff import HISTORY, Backoff, BackoffPolicy, due_at
from credgraph.schedule.holder import holder_is_gone
from credgraph.schedule.lease import lease_name
from credgraph.schedule.triggers import every_of, next_fire
from credgraph.store.base import GraphStore


@dataclass(frozen=True, slots=True)
class SourceStatus:
    source: Source
    configured: bool  # False: known to the store from earlier crawls, gone from the config
    last_run: CrawlRun | None  # the most recent run, whatever its status
    next_run: datetime | None  # None: not scheduled (not in the config)
    backoff: Backoff | None
    crawling: str | None  # holder of the source's live lease: a scheduler crawling it now


def next_run_of(
    source: Source, runs: list[CrawlRun], policy: BackoffPolicy, now: datetime
) -> datetime:
    due, _ = due_at(source, runs, policy)
    if due is not None:
        return due
    # Never ran: an interval source runs as soon as a scheduler starts, a cron one at its slot.
    return now if every_of(source) is not None else next_fire(source, now)


async def source_statuses(
    store: GraphStore, config: Config | None, policy: BackoffPolicy, now: datetime
) -> list[SourceStatus]:
    configured = {s.id: s for s in config.sources} if config else {}
    known = {s.id: s for s in await store.list_sources()}
    # A lease whose process has ended (killed on this host) is nobody crawling.
    holders = {
        lease.name: lease.holder
        for lease in await store.leases()
        if not holder_is_gone(lease.holder)
    }
    out = []
    for source_id in [*configured, *sorted(set(known) - set(configured))]:
        source = configured.get(source_id) or known[source_id]
        runs = await store.crawl_runs(source_id, HISTORY)
        scheduled = source_id in configured
        _, backoff = due_at(source, runs, policy)
        out.append(
            SourceStatus(
                source,
                scheduled,
                runs[0] if runs else None,
                next_run_of(source, runs, policy, now) if scheduled else None,
                backoff if scheduled else None,
                holders.get(lease_name(source_id)),
            )
        )
    return out


def is_running(status: SourceStatus) -> bool:
    last = status.last_run
    return status.crawling is not None or (last is not None and last.status is CrawlStatus.RUNNING)
