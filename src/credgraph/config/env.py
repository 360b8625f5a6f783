"""Numbers an operator sets through the environment, read the same way everywhere."""

from __future__ import annotations

import os

from credgraph.errors import ConfigError


def seconds_from_env(
    variable: str, default: float, *, low: float, high: float, open_low: bool
) -> float:
    """`variable` as seconds, `default` when unset or blank.

    Raises ValueError naming the variable, the value and the range when it is not a number
    within [low, high] (or (low, high] with `open_low`); NaN is never within."""
    raw = os.environ.get(variable)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    within = (low < value if open_low else low <= value) and value <= high
    if not within:
        bound = "above" if open_low else "from"
        raise ValueError(
            f"{variable}={raw!r}: give a number of seconds {bound} {low:g}, at most {high:g}"
        )
    return value


def deadline_from_env(variable: str, default: float, *, high: float) -> float:
    """`variable` as a deadline in seconds above 0 and at most `high`, `default` when unset;
    a ConfigError naming the variable, the value and the range otherwise."""
    try:
        return seconds_from_env(variable, default, low=0, high=high, open_low=True)
    except ValueError as exc:
        raise ConfigError([str(exc)]) from None


def count_from_env(variable: str, default: int, *, low: int, high: int) -> int:
    """`variable` as a whole number, `default` when unset or blank.

    Raises ValueError naming the variable, the value and the range when it is not a whole
    number within [low, high]."""
    raw = os.environ.get(variable)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ValueError(f"{variable}={raw!r}: give a whole number from {low:,} to {high:,}")
    return value
