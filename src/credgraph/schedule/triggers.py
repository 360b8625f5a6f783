"""A source's `schedule` (5-field cron, UTC) or `every` interval as an APScheduler trigger,
and the plain times the scheduler reasons with (no jitter).

APScheduler 3 numbers weekdays from Monday = 0, classic cron from Sunday = 0 (7 is Sunday
too), so the weekday field is translated into day names. When both the day-of-month and the
day-of-week fields are restricted, APScheduler needs both to match (classic cron needs
either).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from credgraph.config.schedule import interval_seconds
from credgraph.model.crawl import Source

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
DEFAULT_EVERY = "1d"  # a source with neither schedule nor every is crawled daily


def _day(text: str) -> int:
    text = text.strip().lower()
    return int(text) if text.isdigit() else DAY_NAMES.index(text[:3])


def cron_weekdays(field: str) -> str:
    """Classic cron day-of-week field -> APScheduler's: "1-5" -> "mon,tue,wed,thu,fri"."""
    if field == "*":
        return "*"
    days: set[int] = set()
    for item in field.split(","):
        body, _, step = item.partition("/")
        every = int(step) if step else 1
        if body == "*":
            low, high = 0, 6
        elif "-" in body:
            first, last = body.split("-", 1)
            low, high = _day(first), _day(last)
            high += 7 if high < low else 0
        else:
            low = _day(body)
            high = 6 if step else low  # "2/3" means from 2 to the end, every 3
        days.update(d % 7 for d in range(low, high + 1, every))
    return ",".join(DAY_NAMES[d] for d in sorted(days))


def cron_trigger(expression: str, jitter: int | None = None) -> CronTrigger:
    minute, hour, day, month, weekday = expression.split()
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=cron_weekdays(weekday),
        timezone=UTC,
        jitter=jitter,
    )


def every_of(source: Source) -> timedelta | None:
    """The interval of an `every` source (or of one with no schedule at all)."""
    if source.schedule:
        return None
    seconds = interval_seconds(source.every or DEFAULT_EVERY)
    if seconds is None:  # the config loader has already refused such a source
        raise ValueError(f"source {source.id!r}: every = {source.every!r} is not an interval")
    return timedelta(seconds=seconds)


def trigger_for(source: Source, jitter: float = 0) -> BaseTrigger:
    """The trigger that fires `source`'s runs, each delayed by up to `jitter` seconds."""
    spread = int(jitter) or None
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
    return next_fire(source, first) - first
