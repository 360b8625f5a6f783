"""`credgraph sources`: last run, next run, backoff with its reason, and who crawls now."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from credgraph.cli.main import main
from credgraph.model import CrawlError, CrawlRun, CrawlStatus, Source
from credgraph.store import open_store
from tests.schedule.helpers import write_config

CONFIG = """
[[source]]
id = "flaky"
format = "ctdl"
url = "https://flaky.example/graph"
every = "1h"

[[source]]
id = "steady"
format = "openbadges"
url = "https://steady.example/badges"
schedule = "0 3 * * *"

[[source]]
id = "fresh"
format = "credly"
url = "https://fresh.example/badges"
every = "15m"
"""


async def history(url: str, now: datetime) -> None:
    async with open_store(url) as store:
        await store.upsert_sources(
            [
                Source("flaky", "ctdl", ("https://flaky.example/graph",), every="1h"),
                Source("retired", "ctdl", ("https://retired.example/",), every="1d"),
            ]
        )
        for n in range(3):  # three failures in a row, an hour apart, the last 10 minutes ago
            started = now - timedelta(minutes=10) - timedelta(hours=n)
            await store.record_crawl_run(CrawlRun(
                f"flaky-{n}", "flaky", CrawlStatus.FAILED, started, started + timedelta(seconds=3),
                errors=1, error_samples=(CrawlError("https://flaky.example/graph", "HTTP 503"),),
            ))  # fmt: skip
        started = now - timedelta(hours=2)
        await store.record_crawl_run(CrawlRun(
            "steady-1", "steady", CrawlStatus.SUCCEEDED, started, started + timedelta(seconds=9),
            fetched=4, not_modified=6, created=2, updated=1,
        ))  # fmt: skip
        assert await store.acquire_lease("source:steady", "host-a:42:abc", 60)


def test_sources_show_last_run_next_run_and_backoff_with_its_reason(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'g.db'}"
    now = datetime.now(UTC)
    asyncio.run(history(store, now))
    config = write_config(tmp_path / "sources.toml", CONFIG)
    result = CliRunner().invoke(
        main, ["sources", "--config", str(config), "--store", store, "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = {row["source"]: row for row in json.loads(result.output)}
    assert list(rows) == ["flaky", "steady", "fresh", "retired"]
    flaky = rows["flaky"]
    assert flaky["lastRun"]["status"] == "FAILED"
    assert flaky["backoff"]["failures"] == 3 and flaky["backoff"]["delaySeconds"] == 4 * 3600
    assert flaky["backoff"]["reason"] == "HTTP 503 (https://flaky.example/graph)"
    assert flaky["nextRun"] == flaky["backoff"]["until"]
    steady = rows["steady"]
    assert (steady["lastRun"]["fetched"], steady["lastRun"]["notModified"]) == (4, 6)
    assert steady["backoff"] is None and steady["crawling"] == "host-a:42:abc"
    assert datetime.fromisoformat(steady["nextRun"]).hour == 3
    assert rows["fresh"]["lastRun"] is None
    assert rows["retired"]["configured"] is False and rows["retired"]["nextRun"] is None

    table = CliRunner().invoke(main, ["sources", "--config", str(config), "--store", store])
    text = " ".join(table.output.split())
    assert table.exit_code == 0
    assert "3 failures in a row, waits" in text and "HTTP 503" in text
    assert "(crawling: host-a:42:abc)" in text and "not in the config" in text
    assert "due now" in text  # fresh never ran


def test_sources_without_a_config_list_what_the_store_knows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = f"sqlite:///{tmp_path / 'g.db'}"
    asyncio.run(history(store, datetime.now(UTC)))
    monkeypatch.chdir(tmp_path)  # no sources.toml here
    result = CliRunner().invoke(main, ["sources", "--store", store, "--json"])
    assert result.exit_code == 0, result.output
    assert [r["source"] for r in json.loads(result.output)] == ["flaky", "retired"]
    missing = CliRunner().invoke(main, ["sources", "--config", "nope.toml", "--store", store])
    assert missing.exit_code == 2 and "nope.toml: no such file" in missing.output
