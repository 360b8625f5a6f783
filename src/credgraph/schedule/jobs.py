"""Keeping APScheduler's jobs in line with the configuration: one job per source.

Jobs read their Source from the current configuration each time they fire, so a changed URL
or format applies from the next run; only a changed `schedule` or `every` replaces the job's
trigger. A removed source's job goes; a run of it already going finishes.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.triggers.base import BaseTrigger

from credgraph.config.sources import Config
from credgraph.errors import StoreError
from credgraph.model.crawl import Source
from credgraph.schedule.backoff import HISTORY, due_at
from credgraph.schedule.logs import LOG, log_event
from credgraph.schedule.options import SchedulerOptions
from credgraph.schedule.runner import SourceRunner, job_id
from credgraph.schedule.triggers import every_of, jitter_for, trigger_for
from credgraph.store.ports import CrawlLedger


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rescheduled: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.rescheduled or self.updated)


def diff(old: Config | None, new: Config) -> Changes:
    before = {s.id: s for s in old.sources} if old else {}
    after = {s.id: s for s in new.sources}
    changes = Changes(removed=[i for i in before if i not in after])
    for source_id, source in after.items():
        was = before.get(source_id)
        if was is None:
            changes.added.append(source_id)
        elif (was.schedule, was.every) != (source.schedule, source.every):
            changes.rescheduled.append(source_id)
        elif was != source:
            changes.updated.append(source_id)
    return changes


async def first_run_time(
    source: Source, store: CrawlLedger, options: SchedulerOptions, now: datetime
) -> datetime | None:
    """When a newly scheduled source should first fire, from its history; None: leave it to
    the trigger.

    An interval source that never ran, or whose last run is older than its interval, runs
    soon (spread over the jitter window so a fresh start does not fire everything at once).
    A cron source keeps to its slots, except that a slot missed by less than the misfire
    grace time (the scheduler was down over it) is caught up once."""
    try:
        runs = await store.crawl_runs(source.id, HISTORY)
    except StoreError as exc:
        log_event(LOG, logging.WARNING, "history unavailable", source=source.id, error=str(exc))
        runs = []
    due, backoff = due_at(source, runs, options.backoff)
    soon = now + timedelta(seconds=random.uniform(0, jitter_for(source, options.jitter, now)))
    if every_of(source) is not None:
        return soon if due is None else max(due, soon)
    if due is None or (backoff is None and due < now - timedelta(seconds=options.misfire_grace)):
        return None
    return max(due, soon)


async def apply(
    scheduler: Any,
    runner: SourceRunner,
    old: Config | None,
    new: Config,
    options: SchedulerOptions,
) -> Changes:
    """Add, replace and remove jobs so that `scheduler` runs exactly `new`'s sources. Every
    trigger and first run time is worked out before any job changes: one that cannot be (the
    store unreachable while its history is read) leaves the jobs as they were."""
    changes = diff(old, new)
    now = datetime.now(UTC)
    planned: list[tuple[Source, BaseTrigger, dict[str, Any]]] = []
    for source in new.sources:
        if source.id not in changes.added and source.id not in changes.rescheduled:
            continue
        extra: dict[str, Any] = {}
        first = await first_run_time(source, runner.state.store, options, now)
        if first is not None:  # APScheduler reads next_run_time=None as "paused"
            extra["next_run_time"] = first
        planned.append((source, trigger_for(source, options.jitter), extra))
    for source_id in changes.removed:
        if scheduler.get_job(job_id(source_id)) is not None:
            scheduler.remove_job(job_id(source_id))
    for source, trigger, extra in planned:
        scheduler.add_job(
            runner.run_source,
            trigger,
            args=[source.id],
            id=job_id(source.id),
            name=source.id,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=max(1, int(options.misfire_grace)),
            replace_existing=True,
            **extra,
        )
    return changes
