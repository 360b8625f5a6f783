"""A `credgraph crawl` killed with kill -9, then run again, crawls at once.

The killed crawl leaves its source's lease (renewed, never released) and its run RUNNING.
The lease's holder string names the process (host, pid, start time); the next crawl on the
same host finds that process gone, takes the lease over with a compare-and-set on the dead
holder, records the leftover run ABORTED and crawls, instead of skipping the source for the
lease's whole TTL. Holders that may be alive (this process, a pid reused by a later process's
start time, another host) are never taken over.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from credgraph.cli.crawl import LEASE_TTL_SECONDS
from credgraph.model import CrawlRun, CrawlStatus
from credgraph.model.lease import Lease
from credgraph.schedule.holder import Holder, holder_is_gone, new_holder, this_process
from credgraph.schedule.lease import claim_lease, lease_name
from credgraph.store import open_store
from tests.crawl.server import CatalogServer
from tests.schedule.helpers import CREDGRAPH, serve_catalog, source_toml, wait_until, write_config

NEW_HOLDER = "from credgraph.schedule.holder import new_holder; print(new_holder(), flush=True)"


def ended_holder() -> str:
    """The holder string of a child of ours that has ended and been reaped."""
    child = subprocess.run([sys.executable, "-c", NEW_HOLDER], capture_output=True, text=True,
                           check=True)  # fmt: skip
    return child.stdout.strip()


def test_a_holder_string_names_host_pid_and_start_and_reads_back() -> None:
    holder = new_holder()
    parsed = Holder.parse(holder)
    here = this_process()
    assert parsed is not None and str(parsed) == holder
    assert (parsed.host, parsed.pid, parsed.started) == (here.host, os.getpid(), here.started)
    assert new_holder() != holder  # two holders in one process differ
    odd_host = replace(parsed, host="rack:7")
    assert Holder.parse(str(odd_host)) == odd_host
    assert Holder.parse("scheduler-elsewhere") is None
    assert Holder.parse("host-a:42:abc") is None


def test_only_a_process_of_this_host_that_has_ended_is_gone() -> None:
    assert not holder_is_gone(new_holder())  # this very process
    ended = ended_holder()
    assert holder_is_gone(ended)
    dead = Holder.parse(ended)
    assert dead is not None
    # The same dead pid elsewhere proves nothing: trusted until the lease expires.
    assert not holder_is_gone(str(replace(dead, host="elsewhere.example")))
    assert not holder_is_gone("scheduler-elsewhere")
    assert not holder_is_gone(str(replace(dead, pid=0)))  # never os.kill(0, ...)


@pytest.mark.skipif(this_process().started is None, reason="needs /proc start times")
def test_a_pid_reused_by_a_later_process_is_not_the_holder() -> None:
    me = Holder.parse(new_holder())
    assert me is not None and me.started is not None
    assert holder_is_gone(str(replace(me, started=me.started - 1)))  # an earlier process's pid


@pytest.mark.slow  # processes
def test_a_killed_child_not_yet_reaped_is_gone() -> None:
    child = subprocess.Popen([sys.executable, "-c", NEW_HOLDER + "\nimport time; time.sleep(60)"],
                             stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert child.stdout is not None
        holder = child.stdout.readline().strip()
        assert not holder_is_gone(holder)
        child.kill()
        # A zombie until we wait for it: its pid and start time still match, its state is Z.
        assert wait_until(lambda: holder_is_gone(holder), timeout=10)
    finally:
        child.kill()
        child.communicate()  # waits, and closes the pipe


@pytest.mark.slow  # processes
async def test_of_two_crawls_finding_the_holder_dead_exactly_one_takes_the_lease(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'g.db'}"
    dead = ended_holder()
    async with open_store(url) as store:
        assert await store.acquire_lease(lease_name("acme"), dead, 60)

    async def claim(holder: str) -> bool:
        async with open_store(url) as own:
            return (await claim_lease(own, lease_name("acme"), holder, 60)).ours

    def in_thread(holder: str) -> bool:  # each its own connection, as separate processes
        return asyncio.run(claim(holder))

    takers = ("taker-a", "taker-b", "taker-c")
    wins = await asyncio.gather(*(asyncio.to_thread(in_thread, h) for h in takers))
    assert sum(wins) == 1
    async with open_store(url) as store:
        [lease] = await store.leases()
    assert lease.holder == takers[wins.index(True)]


async def test_a_live_holders_lease_is_reported_not_taken(tmp_path: Path) -> None:
    live = new_holder()
    async with open_store(f"sqlite:///{tmp_path / 'g.db'}") as store:
        assert await store.acquire_lease(lease_name("acme"), live, 60)
        claim = await claim_lease(store, lease_name("acme"), "taker", 60)
        assert not claim.ours and claim.taken_from is None
        assert claim.held_by is not None and claim.held_by.holder == live
        assert [lease.holder for lease in await store.leases()] == [live]


@pytest.mark.slow
def test_a_crawl_after_a_kill_9_takes_the_lease_over_and_crawls(tmp_path: Path) -> None:
    store_url = f"sqlite:///{tmp_path / 'g.db'}"
    with CatalogServer() as server:
        url = serve_catalog(server, "big", pages=6, delay=0.3)
        config = write_config(tmp_path / "sources.toml", source_toml("big", url, every="1h"))
        crawl = [CREDGRAPH, "crawl", "--config", str(config), "--store", store_url]
        with (tmp_path / "first.log").open("wb") as log:
            first = subprocess.Popen(crawl, stdout=log, stderr=subprocess.STDOUT)
            try:
                assert wait_until(lambda: len(server.hits("/big?page=3")) == 1, timeout=30)
            finally:
                first.kill()
                first.wait()
        [orphan], [lease] = asyncio.run(runs_and_leases(store_url))
        assert orphan.status is CrawlStatus.RUNNING  # as a killed process leaves them
        killed = Holder.parse(lease.holder)
        assert killed is not None and killed.pid == first.pid
        started = time.monotonic()
        again = subprocess.run(crawl, capture_output=True, text=True, timeout=LEASE_TTL_SECONDS)
        took = time.monotonic() - started
    text = " ".join(again.stdout.split())
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"its lease was held by process {first.pid} on this host" in text
    assert f"run {orphan.id}, left RUNNING by an earlier process, recorded ABORTED" in text
    assert "│ big │ SUCCEEDED │" in text
    runs, leases = asyncio.run(runs_and_leases(store_url))
    statuses = {run.id: run.status for run in runs}
    assert statuses.pop(orphan.id) is CrawlStatus.ABORTED
    assert list(statuses.values()) == [CrawlStatus.SUCCEEDED]
    assert leases == []  # taken over, then released
    assert asyncio.run(credentials(store_url)) == 18  # 6 pages x 3 badges, each once
    # Six pages at 0.3 s each and a process start, not a wait for the dead lease's TTL.
    assert took < LEASE_TTL_SECONDS / 2, took


async def runs_and_leases(store_url: str) -> tuple[list[CrawlRun], list[Lease]]:
    async with open_store(store_url) as store:
        return await store.crawl_runs("big", 100), await store.leases()


async def credentials(store_url: str) -> int:
    async with open_store(store_url) as store:
        return (await store.stats()).credentials
