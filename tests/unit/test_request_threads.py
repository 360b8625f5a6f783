"""The threads for requests' CPU work: a bounded wait for one, and work that waited past it,
or whose caller went while it waited, never runs. Held by events; time only bounds a hang."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import pytest

from credgraph.errors import Busy
from credgraph.request_threads import RequestThreads

HANG_GUARD_S = 60.0


class Held:
    """A one-thread pool whose thread is taken until `release` is set."""

    def __init__(self) -> None:
        self.threads = RequestThreads(1, "test-cpu")
        self.release = threading.Event()
        self.taken = threading.Event()

    def hold(self) -> str:
        self.taken.set()
        self.release.wait(HANG_GUARD_S)
        return "held"


@pytest.fixture
async def held() -> AsyncIterator[Held]:
    pool = Held()
    holding = asyncio.ensure_future(pool.threads.run(pool.hold))
    assert await asyncio.to_thread(pool.taken.wait, HANG_GUARD_S)
    yield pool
    pool.release.set()
    assert await holding == "held"
    pool.threads.close()


async def drained(pool: Held) -> None:
    """Free the thread and wait until all work queued before now has had its turn."""
    pool.release.set()
    assert await pool.threads.run(lambda: "after") == "after"


async def test_work_waiting_past_its_allowance_is_refused_and_never_runs(held: Held) -> None:
    ran = threading.Event()
    with pytest.raises(Busy, match=r"busy for 0\.01 s; ask again"):
        await held.threads.run(ran.set, wait=0.01)
    await drained(held)
    assert not ran.is_set()


async def test_work_whose_caller_went_while_it_waited_never_runs(held: Held) -> None:
    ran = threading.Event()
    waiting = asyncio.ensure_future(held.threads.run(ran.set))
    await asyncio.sleep(0)  # it is queued
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await drained(held)
    assert not ran.is_set()


async def test_work_that_gets_a_thread_within_its_allowance_runs(held: Held) -> None:
    queued = asyncio.ensure_future(held.threads.run(lambda: 42, wait=HANG_GUARD_S))
    await asyncio.sleep(0)
    held.release.set()
    assert await queued == 42
