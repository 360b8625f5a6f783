"""Schedules in sources.toml: 5-field cron (UTC) and intervals such as "6h".

The one place a cron expression is read: `cron_trigger` builds the APScheduler trigger the
scheduler fires, and `cron_problem` accepts exactly what that trigger accepts (so a schedule
that passes `load_config` cannot fail later in `credgraph sources` or the scheduler).

APScheduler 3 numbers weekdays from Monday = 0, classic cron from Sunday = 0 (7 is Sunday
too), so the weekday field is translated into day names. When both the day-of-month and the
day-of-week fields are restricted, APScheduler needs both to match (classic cron needs
either): "0 0 1 * 1" is the first of a month that is a Monday. docs/crawling.md says so.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from apscheduler.triggers.cron import CronTrigger

_FIELDS = (
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
)
_NAMES = {
    3: {
        n: i
        for i, n in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
        )
    },
    4: {n: i for i, n in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])},
}
DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_INTERVAL = re.compile(r"\s*([0-9]+)\s*([smhd])\s*")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# A source crawled less often than yearly is not scheduled; past this, dates overflow.
MAX_INTERVAL_SECONDS = 366 * 86400


def _number(text: str) -> bool:
    """Whether `text` is digits 0-9: `str.isdigit` is also true of "²", which `int` refuses."""
    return text.isascii() and text.isdigit()


def cron_problem(expression: str) -> str | None:
    """None if `expression` is a valid 5-field cron expression, else what is wrong with it."""
    parts = expression.split()
    if len(parts) != 5:
        return f"cron needs 5 fields (minute hour day month weekday), got {len(parts)}"
    for index, (part, (name, low, high)) in enumerate(zip(parts, _FIELDS, strict=True)):
        for item in part.split(","):
            body, _, step = item.partition("/")
            if step and (not _number(step) or int(step) == 0):
                return f"{name} step {step!r} is not a positive number"
            if body == "*":
                continue
            for bound in body.split("-", 1):
                value = (
                    _NAMES.get(index, {}).get(bound.lower()) if not _number(bound) else int(bound)
                )
                if value is None or not low <= value <= high:
                    return f"{name} value {bound!r} is outside {low}-{high}"
    try:
        trigger = cron_trigger(expression)
    except ValueError as exc:  # what APScheduler refuses, e.g. a range running backwards
        return str(exc)
    if trigger.get_next_fire_time(None, datetime.now(UTC)) is None:
        return "it never fires: no date matches it (such as 30 February)"
    return None


def _day(text: str) -> int:
    text = text.strip().lower()
    return int(text) if _number(text) else DAY_NAMES.index(text[:3])


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
    """The trigger for a 5-field cron expression (UTC); ValueError if APScheduler refuses it."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"cron needs 5 fields (minute hour day month weekday), got {len(fields)}")
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=cron_weekdays(weekday),
        timezone=UTC,
        jitter=jitter,
    )


def interval_seconds(text: str) -> int | None:
    """Seconds in an interval such as "90s", "15m", "6h", "1d", at most a year
    (MAX_INTERVAL_SECONDS); None if not one."""
    match = _INTERVAL.fullmatch(text)
    if not match or int(match.group(1)) == 0:
        return None
    seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    return seconds if seconds <= MAX_INTERVAL_SECONDS else None
