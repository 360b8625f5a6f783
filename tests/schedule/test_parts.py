"""Parts of the scheduler in-process: config diffs, first run times, log lines, metrics."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from credgraph.config import parse_config
from credgraph.model import CrawlRun, CrawlStatus
from credgraph.schedule.jobs import diff, first_run_time
from credgraph.schedule.logs import LOG, log_event, setup_logging
from credgraph.schedule.metrics import CrawlMetrics
from credgraph.schedule.options import SchedulerOptions
from credgraph.schedule.service import SchedulerService
from credgraph.store import open_store
from tests.schedule.helpers import source_toml, write_config

BASE = """
[[source]]
id = "a"
format = "ctdl"
url = "https://a.example/"
every = "1h"

[[source]]
id = "b"
format = "ctdl"
url = "https://b.example/"
schedule = "0 3 * * *"

[[source]]
id = "c"
format = "ctdl"
url = "https://c.example/"
"""


def test_a_reload_is_diffed_into_added_removed_rescheduled_and_updated() -> None:
    old = parse_config(BASE)
    new = parse_config(
        BASE.replace('every = "1h"', 'every = "2h"')
        .replace("https://b.example/", "https://b.example/v2")
        .replace('id = "c"', 'id = "d"')
    )
    changes = diff(old, new)
    assert (changes.added, changes.removed, changes.rescheduled, changes.updated) == (
        ["d"],
        ["c"],
        ["a"],
        ["b"],
    )
    assert not diff(new, new)


async def test_first_run_times_come_from_history(tmp_path: Path) -> None:
    config = parse_config(BASE)
    a, b, _ = config.sources
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    options = SchedulerOptions(jitter=0, misfire_grace=600)
    async with open_store(f"sqlite:///{tmp_path / 'g.db'}") as store:
        assert await first_run_time(a, store, options, now) == now  # never ran: now
        assert await first_run_time(b, store, options, now) is None  # cron: its next slot
        await store.record_crawl_run(
            CrawlRun("a1", "a", CrawlStatus.SUCCEEDED, now - timedelta(minutes=20), now)
        )
        assert await first_run_time(a, store, options, now) == now + timedelta(minutes=40)
        # b missed today's 03:00 by hours: more than the misfire grace, so no catch-up...
        await store.record_crawl_run(
            CrawlRun("b1", "b", CrawlStatus.SUCCEEDED, now - timedelta(days=1, hours=9), now)
        )
        assert await first_run_time(b, store, options, now) is None
        # ...but a slot missed by less than the grace is caught up at once.
        late = now.replace(hour=3, minute=5)
        assert await first_run_time(b, store, options, late) == late


def test_log_lines_are_json_objects_or_key_value_text() -> None:
    out = io.StringIO()
    setup_logging("json", out)
    log_event(LOG, logging.INFO, "run finished", source="acme", status="SUCCEEDED", errors=0)
    line = json.loads(out.getvalue())
    assert line["event"] == "run finished" and line["source"] == "acme" and line["errors"] == 0
    assert line["level"] == "info" and line["ts"].endswith("Z")
    out = io.StringIO()
    setup_logging("text", out)
    log_event(LOG, logging.WARNING, "run skipped", source="acme", reason="lease held")
    assert (
        out.getvalue().split(" ", 1)[1] == 'WARNING run skipped source=acme reason="lease held"\n'
    )
    logging.getLogger().handlers.clear()


def test_run_metrics_count_runs_documents_and_duration() -> None:
    metrics = CrawlMetrics()
    start = datetime(2026, 3, 2, tzinfo=UTC)
    metrics.observe_run(
        CrawlRun(
            "r",
            "acme",
            CrawlStatus.PARTIAL,
            start,
            start + timedelta(seconds=7),
            fetched=4,
            not_modified=6,
            errors=1,
        )
    )
    value = metrics.registry.get_sample_value
    assert value("credgraph_crawl_runs_total", {"source": "acme", "status": "PARTIAL"}) == 1
    assert (
        value("credgraph_crawl_documents_total", {"source": "acme", "outcome": "not_modified"}) == 6
    )
    assert value("credgraph_crawl_documents_total", {"source": "acme", "outcome": "failed"}) == 1
    assert value("credgraph_crawl_run_duration_seconds_sum", {"source": "acme"}) == 7


def test_a_long_failing_streak_backs_off_to_the_cap_without_overflowing() -> None:
    from credgraph.model import Source
    from credgraph.schedule.backoff import HISTORY, BackoffPolicy, backoff_of

    # 30 failures in a row of a monthly source: 30 days doubled 29 times is past what a
    # timedelta holds, which stopped `credgraph sources` and the scheduler.
    monthly = Source("m", "onet", ("https://m.example/",), every="30d")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    runs = [
        CrawlRun(f"r{i}", "m", CrawlStatus.FAILED, start - timedelta(days=30 * i), start)
        for i in range(HISTORY)
    ]
    backoff = backoff_of(monthly, runs, BackoffPolicy(max_delay=timedelta(hours=6)))
    assert backoff is None  # the cap is below one period: a monthly source waits a month
    huge = BackoffPolicy(max_delay=timedelta(days=999_999_999))
    capped = backoff_of(monthly, runs, huge)
    assert capped is not None and capped.failures == HISTORY
    assert capped.delay == timedelta(days=999_999_999)  # the cap, reached without overflow
    assert capped.until.year == 9999  # past the end of time: the end of time


async def test_the_config_watch_outlives_a_reload_that_fails(tmp_path: Path) -> None:
    import asyncio

    from credgraph.schedule.reload import watch

    path = tmp_path / "sources.toml"
    path.write_text("a")
    calls: list[str] = []
    called = [asyncio.Event(), asyncio.Event()]

    async def on_change() -> None:
        calls.append(path.read_text())
        called[len(calls) - 1].set()
        if len(calls) == 1:
            raise OverflowError("date value out of range")  # as a trigger once raised

    watching = asyncio.create_task(watch(path, 0.01, on_change))
    try:
        await asyncio.sleep(0)  # the watch reads the file's state before it changes
        path.write_text("bb")  # a new size: seen as a change whatever the clock's grain
        await asyncio.wait_for(called[0].wait(), 60)
        path.write_text("ccc")
        await asyncio.wait_for(called[1].wait(), 60)
    finally:
        watching.cancel()
    assert calls == ["bb", "ccc"]


async def test_a_store_not_up_yet_is_logged_with_its_password_masked(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = write_config(tmp_path / "sources.toml", source_toml("acme", "http://127.0.0.1:9/"))
    service = SchedulerService(config, "bolt://neo4j:topsecret@127.0.0.1:9")  # nothing on 9
    running = asyncio.create_task(service.run())
    deadline = asyncio.get_running_loop().time() + 60  # a hang guard: the first try is at once
    while not [r for r in caplog.records if r.getMessage() == "store unavailable; retrying"]:
        assert asyncio.get_running_loop().time() < deadline and not running.done()
        await asyncio.sleep(0.01)
    service.request_stop()
    await running
    shown = [json.dumps(r.__dict__, default=str) for r in caplog.records]
    assert any("neo4j:***@127.0.0.1:9" in line for line in shown)
    assert not any("topsecret" in line for line in shown)
