"""The scheduler on Neo4j: two processes on one database never crawl a source at once, and
the database going away mid-run fails that run cleanly; the next run succeeds."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from credgraph.model import CrawlRun, CrawlStatus
from credgraph.store import open_store
from tests.crawl.server import CatalogServer
from tests.schedule.helpers import running, serve_catalog, source_toml, wait_until, write_config
from tests.schedule.proxy import CuttableProxy
from tests.stores import wipe_neo4j as _wipe_neo4j

pytestmark = pytest.mark.neo4j


def runs_and_count(url: str, source: str) -> tuple[list[CrawlRun], int]:
    async def read() -> tuple[list[CrawlRun], int]:
        async with open_store(url) as store:
            return await store.crawl_runs(source, limit=100), (await store.stats()).credentials

    return asyncio.run(read())


@pytest.fixture
def neo4j(neo4j_url: str) -> str:
    asyncio.run(_wipe_neo4j(neo4j_url))
    return neo4j_url


def test_two_schedulers_on_one_neo4j_never_crawl_a_source_at_once(
    neo4j: str, tmp_path: Path
) -> None:
    with CatalogServer() as server:
        url = serve_catalog(server, "s0", pages=3, delay=0.15)
        config = write_config(tmp_path / "sources.toml", source_toml("s0", url, every="1s"))
        with (
            running(config, neo4j, tmp_path / "a") as a,
            running(config, neo4j, tmp_path / "b") as b,
        ):
            assert wait_until(
                lambda: len(a.named("run finished")) + len(b.named("run finished")) >= 4
            )
            assert a.stop() == 0 and b.stop() == 0
        skipped = [e["reason"] for e in a.named("run skipped") + b.named("run skipped")]
    assert "lease_held" in skipped
    runs, credentials = runs_and_count(neo4j, "s0")
    runs.sort(key=lambda r: r.started_at)
    assert len(runs) >= 4 and credentials == 9
    for earlier, later in itertools.pairwise(runs):
        assert earlier.finished_at is not None and earlier.finished_at <= later.started_at


def test_neo4j_going_away_mid_run_fails_that_run_cleanly_and_the_next_run_succeeds(
    neo4j: str, tmp_path: Path
) -> None:
    port = urlsplit(neo4j).port
    assert port is not None
    with CatalogServer() as server, CuttableProxy(port) as proxy:
        url = serve_catalog(server, "cat", pages=6, delay=0.3)
        config = write_config(tmp_path / "sources.toml", source_toml("cat", url, every="2s"))
        # The driver retries a write for 30 s by default, which would ride out the outage.
        env = {"CREDGRAPH_NEO4J_RETRY_SECONDS": "1"}
        with running(config, f"bolt://127.0.0.1:{proxy.port}", tmp_path / "log", env=env) as s:
            s.wait_for("run started")
            assert wait_until(lambda: len(server.hits("/cat?page=3")) == 1, timeout=20)
            proxy.cut()
            [failed] = s.wait_for("run finished", status="FAILED", timeout=30)
            proxy.restore()
            [succeeded] = s.wait_for("run finished", status="SUCCEEDED", timeout=30)
            assert s.stop() == 0
        assert s.job_errors() == []
    assert "store failed" in failed["last_error"] and "cannot be reached" in failed["last_error"]
    assert succeeded["run"] != failed["run"]
    runs, credentials = runs_and_count(neo4j, "cat")
    statuses = {r.id: r.status for r in runs}
    # The failed run's final record, refused while the store was away, was written later.
    assert statuses[failed["run"]] is CrawlStatus.FAILED
    assert statuses[succeeded["run"]] is CrawlStatus.SUCCEEDED
    assert CrawlStatus.RUNNING not in statuses.values()
    assert credentials == 18
