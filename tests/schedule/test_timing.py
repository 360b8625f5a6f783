"""Schedules, due times and backoff: pure functions over a source and its crawl history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from credgraph.model import CrawlError, CrawlRun, CrawlStatus, Source
from credgraph.schedule.backoff import BackoffPolicy, backoff_of, due_at, failing_streak
from credgraph.schedule.options import SchedulerOptions
from credgraph.schedule.triggers import (
    cron_weekdays,
    jitter_for,
    next_fire,
    period_of,
    trigger_for,
)

T0 = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # a Monday
EVERY_HOUR = Source("hourly", "openbadges", ("https://a.example/",), every="1h")
NIGHTLY = Source("nightly", "openbadges", ("https://a.example/",), schedule="0 3 * * *")


def run(n: int, status: CrawlStatus, source: Source = EVERY_HOUR, *, hours: float = 1) -> CrawlRun:
    """The n-th run before T0 (n=0 most recent), `hours` apart."""
    started = T0 - timedelta(hours=n * hours)
    samples = (CrawlError("https://a.example/", f"HTTP 503 on run {n}"),)
    return CrawlRun(
        f"r{n}",
        source.id,
        status,
        started,
        started + timedelta(minutes=1),
        error_samples=samples if status is CrawlStatus.FAILED else (),
    )


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("*", "*"),
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("mon-fri", "mon,tue,wed,thu,fri"),
        ("5-7", "sun,fri,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("1,3", "mon,wed"),
        ("6-1", "sun,mon,sat"),
    ],
)
def test_cron_weekdays_count_from_sunday_as_classic_cron_does(field: str, expected: str) -> None:
    assert cron_weekdays(field) == expected


def test_a_weekday_cron_fires_on_the_weekday_cron_means() -> None:
    weekdays = Source("w", "ctdl", ("https://a.example/",), schedule="30 6 * * 1-5")
    saturday = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    assert next_fire(weekdays, saturday) == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)  # Monday
    sunday_only = Source("s", "ctdl", ("https://a.example/",), schedule="0 0 * * 0")
    assert next_fire(sunday_only, saturday).weekday() == 6  # Python: Sunday is 6
    fire = trigger_for(sunday_only).get_next_fire_time(None, saturday)
    assert fire == datetime(2026, 3, 8, 0, 0, tzinfo=UTC)


def test_jitter_is_capped_at_a_tenth_of_the_period() -> None:
    every_4s = Source("fast", "ctdl", ("https://a.example/",), every="4s")
    assert jitter_for(every_4s, 10.0, T0) == pytest.approx(0.4)
    assert jitter_for(EVERY_HOUR, 10.0, T0) == 10.0
    assert jitter_for(NIGHTLY, 10.0, T0) == 10.0
    every_minute = Source("m", "ctdl", ("https://a.example/",), schedule="* * * * *")
    assert jitter_for(every_minute, 10.0, T0) == pytest.approx(6.0)
    # The trigger never delays a 4 s source past its next slot: fires stay 4 s apart.
    trigger = trigger_for(every_4s, 10.0)
    fires = [trigger.get_next_fire_time(None, T0)]
    for _ in range(20):
        fires.append(trigger.get_next_fire_time(fires[-1], fires[-1]))
    gaps = {(b - a).total_seconds() for a, b in pairwise(fires)}
    assert gaps <= {4.0}, gaps


def test_next_fire_is_strictly_after_and_periods_follow_the_schedule() -> None:
    assert next_fire(NIGHTLY, T0) == T0 + timedelta(days=1)
    assert next_fire(NIGHTLY, T0 - timedelta(microseconds=1)) == T0
    assert next_fire(EVERY_HOUR, T0) == T0 + timedelta(hours=1)
    assert period_of(NIGHTLY, T0) == timedelta(days=1)
    assert period_of(EVERY_HOUR, T0) == timedelta(hours=1)
    daily_default = Source("d", "ctdl", ("https://a.example/",))
    assert period_of(daily_default, T0) == timedelta(days=1)


def test_a_source_is_due_one_period_after_its_last_finished_run_started() -> None:
    policy = BackoffPolicy()
    assert due_at(EVERY_HOUR, [], policy) == (None, None)
    runs = [run(0, CrawlStatus.ABORTED), run(1, CrawlStatus.RUNNING), run(2, CrawlStatus.PARTIAL)]
    due, backoff = due_at(EVERY_HOUR, runs, policy)
    assert due == T0 - timedelta(hours=1) and backoff is None  # aborted runs do not count
    due, _ = due_at(NIGHTLY, [run(0, CrawlStatus.SUCCEEDED, NIGHTLY, hours=24)], policy)
    assert due == T0 + timedelta(days=1)


def test_repeated_failures_double_the_wait_up_to_the_cap_with_the_reason() -> None:
    policy = BackoffPolicy(max_delay=timedelta(hours=5))
    one = [run(0, CrawlStatus.FAILED), run(1, CrawlStatus.SUCCEEDED)]
    assert backoff_of(EVERY_HOUR, one, policy) is None  # one failure changes nothing
    two = [run(0, CrawlStatus.FAILED), run(1, CrawlStatus.ABORTED), run(2, CrawlStatus.FAILED)]
    assert len(failing_streak(two)) == 2
    backoff = backoff_of(EVERY_HOUR, two, policy)
    assert backoff is not None and backoff.delay == timedelta(hours=2)
    assert backoff.until == T0 + timedelta(hours=2)
    assert backoff.reason == "HTTP 503 on run 0 (https://a.example/)"
    many = [run(n, CrawlStatus.FAILED) for n in range(6)]
    capped = backoff_of(EVERY_HOUR, many, policy)
    assert capped is not None and capped.delay == timedelta(hours=5) and capped.failures == 6
    assert due_at(EVERY_HOUR, many, policy)[0] == T0 + timedelta(hours=5)
    recovered = [run(0, CrawlStatus.SUCCEEDED), *many]
    assert backoff_of(EVERY_HOUR, recovered, policy) is None


def test_a_cap_below_the_period_never_shortens_it() -> None:
    policy = BackoffPolicy(max_delay=timedelta(minutes=10))
    runs = [run(n, CrawlStatus.FAILED, NIGHTLY, hours=24) for n in range(3)]
    assert backoff_of(NIGHTLY, runs, policy) is None
    assert due_at(NIGHTLY, runs, policy)[0] == T0 + timedelta(days=1)


def test_slack_covers_jitter_but_never_half_a_period() -> None:
    options = SchedulerOptions(jitter=10)
    assert options.slack(timedelta(hours=1)) == timedelta(seconds=11)
    assert options.slack(timedelta(seconds=4)) == timedelta(seconds=2)
