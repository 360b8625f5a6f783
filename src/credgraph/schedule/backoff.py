"""When a source is next due, from its crawl history alone.

Nothing here is kept in memory between runs: every scheduler replica, a restarted scheduler
and `credgraph sources` read the same history and reach the same answer.

- A source is due one period after its last finished run started (ABORTED runs, cut short by
  a shutdown, do not count: the source is due again at once).
- A source whose last runs FAILED in a row backs off: after n failures in a row the wait is
  `period * 2**(n-1)`, capped at `max_delay` (never below one period). One failure alone
  changes nothing; the second doubles the wait, the third quadruples it...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from credgraph.model.crawl import CrawlRun, Source
from credgraph.model.values import CrawlStatus
from credgraph.schedule.triggers import next_fire, period_of

HISTORY = 30  # runs read per source: enough to count a long failing streak
_FINISHED = frozenset({CrawlStatus.SUCCEEDED, CrawlStatus.PARTIAL, CrawlStatus.FAILED})


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    max_delay: timedelta = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class Backoff:
    """A failing source waits until `until`; `reason` is what the last failure said."""

    failures: int
    delay: timedelta
    until: datetime
    reason: str


def last_finished(runs: Sequence[CrawlRun]) -> CrawlRun | None:
    """The most recent run that ran to an end (runs are given most recent first)."""
    return next((r for r in runs if r.status in _FINISHED), None)


def failing_streak(runs: Sequence[CrawlRun]) -> list[CrawlRun]:
    """The FAILED runs since the last run that did not fail, most recent first."""
    streak: list[CrawlRun] = []
    for run in runs:
        if run.status is CrawlStatus.FAILED:
            streak.append(run)
        elif run.status in _FINISHED:
            break
    return streak


def failure_reason(run: CrawlRun) -> str:
    if not run.error_samples:
        return "failed without a recorded reason"
    sample = run.error_samples[-1]  # a store failure is recorded last
    return f"{sample.reason} ({sample.url})"


def backoff_of(source: Source, runs: Sequence[CrawlRun], policy: BackoffPolicy) -> Backoff | None:
    """The backoff `source` is under, or None when it is not failing repeatedly."""
    streak = failing_streak(runs)
    if len(streak) < 2:
        return None
    last = streak[0]
    period = period_of(source, last.started_at)
    cap = max(policy.max_delay, period)
    delay = period
    for _ in range(len(streak) - 1):  # doubled up to the cap, never past it: a 30-day period
        if delay >= cap / 2:  # doubled 26 times overflowed timedelta and stopped the scheduler
            delay = cap
            break
        delay *= 2
    if delay <= period:
        return None
    return Backoff(len(streak), delay, _later(last.started_at, delay), failure_reason(last))


def _later(start: datetime, delay: timedelta) -> datetime:
    """`start + delay`, the end of time when that is past it."""
    try:
        return start + delay
    except OverflowError:
        return datetime.max.replace(tzinfo=start.tzinfo)


def due_at(
    source: Source, runs: Sequence[CrawlRun], policy: BackoffPolicy
) -> tuple[datetime | None, Backoff | None]:
    """When `source` is next due (None: never ran, due now) and its backoff if any."""
    last = last_finished(runs)
    if last is None:
        return None, None
    due = next_fire(source, last.started_at)
    backoff = backoff_of(source, runs, policy)
    if backoff is not None:
        due = max(due, backoff.until)
    return due, backoff
