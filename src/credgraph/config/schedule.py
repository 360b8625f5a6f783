"""Checks for schedules in sources.toml: 5-field cron (UTC) and intervals such as "6h"."""

from __future__ import annotations

import re

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
_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def cron_problem(expression: str) -> str | None:
    """None if `expression` is a valid 5-field cron expression, else what is wrong with it."""
    parts = expression.split()
    if len(parts) != 5:
        return f"cron needs 5 fields (minute hour day month weekday), got {len(parts)}"
    for index, (part, (name, low, high)) in enumerate(zip(parts, _FIELDS, strict=True)):
        for item in part.split(","):
            body, _, step = item.partition("/")
            if step and (not step.isdigit() or int(step) == 0):
                return f"{name} step {step!r} is not a positive number"
            if body == "*":
                continue
            for bound in body.split("-", 1):
                value = (
                    _NAMES.get(index, {}).get(bound.lower()) if not bound.isdigit() else int(bound)
                )
                if value is None or not low <= value <= high:
                    return f"{name} value {bound!r} is outside {low}-{high}"
    return None


def interval_seconds(text: str) -> int | None:
    """Seconds in an interval such as "90s", "15m", "6h", "1d"; None if not one."""
    match = _INTERVAL.match(text)
    if not match or int(match.group(1)) == 0:
        return None
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
