"""A source's `schedule` (5-field cron, UTC) or `every` interval as an APScheduler trigger,
and the plain times the scheduler reasons with (no jitter). Cron expressions are read in one
place, `credgraph.config.schedule` (the same code validates sources.toml)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from credgraph.config.schedule import cron_trigger, cron_weekdays, interval_seconds
from credgraph.model.crawl import Source

DEFAULT_EVERY = "1d"  # a source with neither schedule nor every is crawled daily
# Jitter spreads runs so that sources do not all fire at once; it never takes more than this
# share of a source's period ("every = 4s" with 10 s of jitter would otherwise run every 4-14 s).
JITTER_SHARE = 0.1


def every_of(source: Source) -> timedelta | None:
    """The interval of an `every` source (or of one with no schedule at all)."""
    if source.schedule:
        return None
    seconds = interval_seconds(source.every or DEFAULT_EVERY)
    if seconds is None:  # the config loader has already refused such a source
        raise ValueError(f"source {source.id!r}: every = {source.every!r} is not an interval")
    return timedelta(seconds=seconds)


def jitter_for(source: Source, jitter: float, around: datetime | None = None) -> float:
    """`jitter` seconds, capped at JITTER_SHARE of `source`'s period (near `around`)."""
    period = period_of(source, around or datetime.now(UTC))
    return max(0.0, min(jitter, period.total_seconds() * JITTER_SHARE))


def trigger_for(source: Source, jitter: float = 0) -> BaseTrigger:
    """The trigger that fires `source`'s runs, each delayed by up to `jitter` seconds (capped
    at a share of the period)."""
    spread = int(jitter_for(source, jitter)) if jitter > 0 else None
    spread = spread or None
    interval = every_of(source)
    if interval is None:
        assert source.schedule is not None
        return cron_trigger(source.schedule, spread)
    return IntervalTrigger(seconds=int(interval.total_seconds()), timezone=UTC, jitter=spread)


def next_fire(source: Source, after: datetime) -> datetime:
    """When `source` is next due strictly after `after`, without jitter."""
    interval = every_of(source)
    if interval is not None:
        return after + interval
    assert source.schedule is not None
    fire = cron_trigger(source.schedule).get_next_fire_time(None, after + timedelta(microseconds=1))
    if fire is None:  # a cron expression that never fires again (e.g. 31 February)
        return datetime.max.replace(tzinfo=UTC)
    at: datetime = fire.astimezone(UTC)
    return at


def period_of(source: Source, around: datetime) -> timedelta:
    """The time between two runs of `source` near `around` (a cron's gap can vary)."""
    interval = every_of(source)
    if interval is not None:
        return interval
    first = next_fire(source, around)
    if first == datetime.max.replace(tzinfo=UTC):
        return timedelta.max  # never fires again
    return next_fire(source, first) - first


__all__ = [
    "DEFAULT_EVERY",
    "JITTER_SHARE",
    "cron_trigger",
    "cron_weekdays",
    "every_of",
    "jitter_for",
    "next_fire",
    "period_of",
    "trigger_for",
]
