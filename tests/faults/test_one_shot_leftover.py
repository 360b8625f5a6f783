"""`credgraph crawl` records a source's leftover RUNNING runs ABORTED under its lease.

A one-shot crawl whose store went away at the end (see test_crawl_recovery.py), or that was
killed, leaves its run RUNNING. The scheduler mends such records before its next run of the
source; `credgraph crawl` holds the same lease and now does the same, through the same code
(credgraph.schedule.orphans). A killed crawl leaves its lease too: when its process is gone
from this host the next crawl takes the lease over at once. Without the lease (its holder is
alive, or on another host) it must not touch them: the holder may be running that very run.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from credgraph.cli.crawl import LEASE_HELD_EXIT
from credgraph.cli.main import main
from credgraph.model import CrawlRun, CrawlStatus, Source
from credgraph.schedule.lease import lease_name
from credgraph.schedule.orphans import LEFTOVER_REASON
from credgraph.store import open_store
from tests.crawl.server import CatalogServer
from tests.schedule.helpers import serve_catalog, source_toml, write_config

pytestmark = pytest.mark.slow  # processes


async def leave_running(store_url: str, source: Source) -> CrawlRun:
    """The record a process killed mid-run leaves: RUNNING, never finished."""
    started = datetime.now(UTC) - timedelta(minutes=5)
    leftover = CrawlRun(f"{source.id}@killed", source.id, CrawlStatus.RUNNING, started, fetched=1)
    async with open_store(store_url) as store:
        await store.upsert_sources([source])
        await store.record_crawl_run(leftover)
    return leftover


async def runs_of(store_url: str, source_id: str) -> dict[str, CrawlRun]:
    async with open_store(store_url) as store:
        return {r.id: r for r in await store.crawl_runs(source_id, 100)}


async def hold_lease(store_url: str, source_id: str, holder: str = "another-process") -> None:
    async with open_store(store_url) as store:
        assert await store.acquire_lease(lease_name(source_id), holder, 60.0)


def dead_holder() -> str:
    """The holder string of a process of this host that has ended, as a killed crawl leaves."""
    child = subprocess.run(
        [sys.executable, "-c", "from credgraph.schedule.holder import new_holder; print(new_holder())"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return child.stdout.strip()


def crawl_cli(config: Path, store_url: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["crawl", "--config", str(config), "--store", store_url])
    return result.exit_code, result.output


def test_a_one_shot_crawl_records_the_leftover_run_aborted(tmp_path: Path) -> None:
    store_url = f"sqlite:///{tmp_path / 'g.db'}"
    with CatalogServer() as server:
        url = serve_catalog(server, "acme", pages=2)
        config = write_config(tmp_path / "sources.toml", source_toml("acme", url))
        leftover = asyncio.run(leave_running(store_url, Source("acme", "openbadges", (url,))))
        code, output = crawl_cli(config, store_url)
    assert code == 0, output
    assert f"run {leftover.id}, left RUNNING by an earlier process, recorded ABORTED" in output
    runs = asyncio.run(runs_of(store_url, "acme"))
    aborted = runs.pop(leftover.id)
    assert aborted.status is CrawlStatus.ABORTED and aborted.finished_at is not None
    assert aborted.error_samples[-1].reason == LEFTOVER_REASON
    assert (aborted.started_at, aborted.fetched) == (leftover.started_at, leftover.fetched)
    [fresh] = runs.values()
    assert fresh.status is CrawlStatus.SUCCEEDED and fresh.fetched == 2


def test_a_dead_processs_lease_is_taken_over_and_its_run_recorded_aborted(
    tmp_path: Path,
) -> None:
    store_url = f"sqlite:///{tmp_path / 'g.db'}"
    holder = dead_holder()
    with CatalogServer() as server:
        url = serve_catalog(server, "acme", pages=2)
        config = write_config(tmp_path / "sources.toml", source_toml("acme", url))
        leftover = asyncio.run(leave_running(store_url, Source("acme", "openbadges", (url,))))
        asyncio.run(hold_lease(store_url, "acme", holder))
        code, output = crawl_cli(config, store_url)
    assert code == 0, output
    text = " ".join(output.split())
    pid = holder.split(":")[-4]
    assert f"acme: its lease was held by process {pid} on this host" in text
    assert "which has ended; taken over" in text
    assert f"run {leftover.id}, left RUNNING by an earlier process, recorded ABORTED" in text
    runs = asyncio.run(runs_of(store_url, "acme"))
    assert runs.pop(leftover.id).status is CrawlStatus.ABORTED
    [fresh] = runs.values()
    assert fresh.status is CrawlStatus.SUCCEEDED and fresh.fetched == 2
    assert asyncio.run(lease_holders(store_url)) == []  # taken over, then released


async def lease_holders(store_url: str) -> list[str]:
    async with open_store(store_url) as store:
        return [lease.holder for lease in await store.leases()]


def test_without_the_lease_the_leftover_is_left_alone(tmp_path: Path) -> None:
    store_url = f"sqlite:///{tmp_path / 'g.db'}"
    with CatalogServer() as server:
        url = serve_catalog(server, "acme", pages=1)
        config = write_config(tmp_path / "sources.toml", source_toml("acme", url))
        leftover = asyncio.run(leave_running(store_url, Source("acme", "openbadges", (url,))))
        asyncio.run(hold_lease(store_url, "acme"))
        code, output = crawl_cli(config, store_url)
        assert server.hits("/acme?page=1") == []  # skipped, not crawled
    assert code == LEASE_HELD_EXIT, output
    assert "another process is crawling it" in output
    runs = asyncio.run(runs_of(store_url, "acme"))
    assert list(runs) == [leftover.id] and runs[leftover.id].status is CrawlStatus.RUNNING
    assert asyncio.run(lease_holders(store_url)) == ["another-process"]
