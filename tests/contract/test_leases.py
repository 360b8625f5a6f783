"""Contract: leases keep two scheduler processes off one source, and a dead holder's lease
goes to exactly one taker; old crawl runs go, the latest of each source and running ones
stay."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from credgraph.model import CrawlRun, CrawlStatus
from credgraph.store import GraphStore, open_store


async def test_a_live_lease_is_one_holders_until_released(store: GraphStore) -> None:
    assert await store.acquire_lease("source:a", "alpha", 30)
    assert not await store.acquire_lease("source:a", "beta", 30)
    assert await store.acquire_lease("source:b", "beta", 30)  # names are independent
    assert await store.acquire_lease("source:a", "alpha", 30)  # the holder may take it again
    assert await store.renew_lease("source:a", "alpha", 30)
    assert not await store.renew_lease("source:a", "beta", 30)
    await store.release_lease("source:a", "beta")  # not beta's: nothing happens
    assert not await store.acquire_lease("source:a", "beta", 30)
    held = await store.leases()
    assert [(lease.name, lease.holder) for lease in held] == [
        ("source:a", "alpha"),
        ("source:b", "beta"),
    ]
    assert all(lease.expires_at - lease.acquired_at >= timedelta(seconds=29) for lease in held)
    await store.release_lease("source:a", "alpha")
    assert not await store.renew_lease("source:a", "alpha", 30)
    assert await store.acquire_lease("source:a", "beta", 30)
    assert [lease.holder for lease in await store.leases() if lease.name == "source:a"] == ["beta"]


async def test_renewing_keeps_the_start_time(store: GraphStore) -> None:
    assert await store.acquire_lease("source:a", "alpha", 30)
    [first] = await store.leases()
    await asyncio.sleep(0.05)
    assert await store.acquire_lease("source:a", "alpha", 60)
    [again] = await store.leases()
    assert again.acquired_at == first.acquired_at and again.expires_at > first.expires_at


async def test_a_lease_nobody_renews_expires_and_another_holder_takes_it(
    store: GraphStore,
) -> None:
    # A live lease keeps others off (the first test); this one lapses at once, so the test
    # waits milliseconds rather than a TTL that a loaded machine could overrun.
    assert await store.acquire_lease("source:a", "dead-process", 0.001)
    await asyncio.sleep(0.01)
    assert [lease.name for lease in await store.leases()] == []
    assert await store.acquire_lease("source:a", "alive", 30)
    assert not await store.renew_lease("source:a", "dead-process", 30)  # too late: lost
    [lease] = await store.leases()
    assert lease.holder == "alive"


async def test_of_many_processes_racing_for_a_lease_exactly_one_wins(store: GraphStore) -> None:
    async def contender(holder: str) -> bool:
        # Each contender its own connection on its own thread, as separate processes would be.
        async with open_store(store.url) as own:  # test URLs carry no password to mask
            return await own.acquire_lease("source:race", holder, 30)

    def in_thread(holder: str) -> bool:
        return asyncio.run(contender(holder))

    wins = await asyncio.gather(*(asyncio.to_thread(in_thread, f"p{i}") for i in range(8)))
    assert sum(wins) == 1
    [lease] = await store.leases()
    assert lease.holder == f"p{wins.index(True)}"


async def test_a_dead_holders_lease_goes_to_whoever_names_that_holder(store: GraphStore) -> None:
    assert await store.acquire_lease("source:a", "dead", 30)
    [before] = await store.leases()
    await asyncio.sleep(0.01)  # so a fresh acquisition time differs from the dead holder's
    assert not await store.take_over_lease("source:a", "someone-else", "new", 30)
    assert [lease.holder for lease in await store.leases()] == ["dead"]
    assert await store.take_over_lease("source:a", "dead", "new", 60)
    [after] = await store.leases()
    assert after.holder == "new" and after.acquired_at > before.acquired_at
    assert timedelta(seconds=59) <= after.expires_at - after.acquired_at <= timedelta(seconds=61)
    assert not await store.renew_lease("source:a", "dead", 30)  # the dead holder lost it
    assert not await store.take_over_lease("source:a", "dead", "third", 30)  # taken already
    assert await store.renew_lease("source:a", "new", 30)
    await store.release_lease("source:a", "new")
    assert not await store.take_over_lease("source:a", "new", "third", 30)  # released
    assert not await store.take_over_lease("source:nothing", "dead", "third", 30)
    assert await store.leases() == []
    assert await store.acquire_lease("source:a", "third", 30)  # free as ever after all that


async def test_an_expired_lease_is_taken_over_like_a_live_one(store: GraphStore) -> None:
    assert await store.acquire_lease("source:a", "dead", 0.001)
    await asyncio.sleep(0.01)
    assert await store.take_over_lease("source:a", "dead", "new", 30)
    assert [lease.holder for lease in await store.leases()] == ["new"]


async def test_of_many_processes_taking_over_a_dead_holders_lease_exactly_one_wins(
    store: GraphStore,
) -> None:
    assert await store.acquire_lease("source:race", "dead", 30)

    async def contender(holder: str) -> bool:
        async with open_store(store.url) as own:
            return await own.take_over_lease("source:race", "dead", holder, 30)

    def in_thread(holder: str) -> bool:
        return asyncio.run(contender(holder))

    wins = await asyncio.gather(*(asyncio.to_thread(in_thread, f"p{i}") for i in range(8)))
    assert sum(wins) == 1
    [lease] = await store.leases()
    assert lease.holder == f"p{wins.index(True)}"


async def test_hostile_lease_names_and_holders_are_just_data(store: GraphStore) -> None:
    name, holder = "x' OR '1'='1 }) DETACH DELETE n //", "'; DROP TABLE leases; --"
    assert await store.acquire_lease(name, holder, 30)
    assert [(lease.name, lease.holder) for lease in await store.leases()] == [(name, holder)]
    taker = "$new_holder }) SET l.holder = 'x' //"
    assert await store.take_over_lease(name, holder, taker, 30)
    assert [(lease.name, lease.holder) for lease in await store.leases()] == [(name, taker)]


async def test_old_crawl_runs_go_but_each_sources_latest_and_running_ones_stay(
    store: GraphStore,
) -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)

    def run(run_id: str, source: str, days: int, status: CrawlStatus) -> CrawlRun:
        started = t0 + timedelta(days=days)
        finished = None if status is CrawlStatus.RUNNING else started + timedelta(minutes=5)
        return CrawlRun(run_id, source, status, started, finished, fetched=days)

    runs = [
        run("a1", "src-a", 0, CrawlStatus.SUCCEEDED),
        run("a2", "src-a", 1, CrawlStatus.FAILED),
        run("a3", "src-a", 2, CrawlStatus.RUNNING),  # old but unfinished: kept
        run("a4", "src-a", 20, CrawlStatus.SUCCEEDED),
        run("b1", "src-b", 0, CrawlStatus.PARTIAL),
        run("b2", "src-b", 3, CrawlStatus.SUCCEEDED),  # src-b's latest: kept however old
        run("c1", "src-c", 30, CrawlStatus.SUCCEEDED),
    ]
    for r in runs:
        await store.record_crawl_run(r)
    assert await store.delete_crawl_runs(t0 + timedelta(days=10)) == 3
    kept = await store.crawl_runs(limit=100)
    assert sorted(r.id for r in kept) == ["a3", "a4", "b2", "c1"]
    assert await store.delete_crawl_runs(t0 + timedelta(days=10)) == 0
    assert (await store.stats()).crawl_runs == 4


async def test_a_runs_final_record_is_not_replaced(store: GraphStore) -> None:
    """A holder that lost its lease finishes its run late: the process that took the source
    over has recorded that run ABORTED meanwhile, and that record stays."""
    started = datetime(2026, 1, 1, tzinfo=UTC)
    ended = started + timedelta(seconds=30)
    running = CrawlRun("p1", "src-a", CrawlStatus.RUNNING, started, fetched=1)
    aborted = CrawlRun("p1", "src-a", CrawlStatus.ABORTED, started, ended, fetched=1, errors=1)
    late = CrawlRun("p1", "src-a", CrawlStatus.SUCCEEDED, started, ended, fetched=12)
    await store.record_crawl_run(running)
    await store.record_crawl_run(aborted)  # a RUNNING record is replaced
    await store.record_crawl_run(late)  # a final one is not
    await store.record_crawl_run(running)
    assert await store.crawl_runs("src-a") == [aborted]
