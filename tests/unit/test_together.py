"""`together`: reads awaited at once, answered in the order asked, a bounded number running,
a failure raised as it is with the others cancelled. Shown by handshakes, not by timing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial

import pytest

from credgraph.errors import StoreError
from credgraph.together import both, in_order

PATIENCE = 60.0  # a bound so a version that awaits one at a time fails instead of hanging


async def test_answers_come_in_the_order_asked_whatever_order_they_finish_in() -> None:
    finished: list[int] = []
    releases = [asyncio.Event() for _ in range(4)]

    async def read(n: int) -> int:
        await asyncio.wait_for(releases[n].wait(), PATIENCE)
        finished.append(n)
        if n > 0:
            releases[n - 1].set()  # the later ones finish first
        return n * 10

    releases[3].set()
    answers = await in_order([partial(read, n) for n in range(4)], at_once=4)
    assert answers == [0, 10, 20, 30]
    assert finished == [3, 2, 1, 0]


async def test_at_most_at_once_run_at_a_time() -> None:
    running = 0
    most = 0

    async def read(n: int) -> int:
        nonlocal running, most
        running += 1
        most = max(most, running)
        for _ in range(3):
            await asyncio.sleep(0)
        running -= 1
        return n

    assert await in_order([partial(read, n) for n in range(7)], at_once=3) == list(range(7))
    assert most == 3  # not 7 (no bound), not 1 (one at a time)


Failing = Callable[[], Awaitable[None]]
Run = Callable[[Failing, Failing], Awaitable[object]]
RUNS: dict[str, Run] = {
    "both": lambda first, second: both(first(), second()),
    "in_order": lambda first, second: in_order([first, second], at_once=2),
}


@pytest.mark.parametrize("run", RUNS.values(), ids=RUNS.keys())
async def test_a_failure_is_raised_as_it_is_and_the_others_cancelled(run: Run) -> None:
    started = asyncio.Event()
    cancelled = asyncio.Event()

    async def failing() -> None:
        await started.wait()
        raise StoreError("the store went away")

    async def waiting() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    with pytest.raises(StoreError, match="went away"):
        await asyncio.wait_for(run(failing, waiting), PATIENCE)
    await asyncio.wait_for(cancelled.wait(), PATIENCE)


async def test_nothing_to_read_answers_nothing_and_a_bound_below_one_is_refused() -> None:
    assert await in_order([], at_once=1) == []
    with pytest.raises(ValueError, match="at least 1"):
        await in_order([], at_once=0)
