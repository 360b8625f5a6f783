"""Independent store reads awaited at once, answered in the order they were asked.

A store that answers statements in parallel (Neo4j: one session each) then answers a request
in its longest chain of reads rather than the sum of them; SQLite's readers take them from
their queue two at a time. Unlike `asyncio.gather`, a failure cancels the reads still running
rather than leaving them to run for nobody; unlike a task group, it is raised as it is, not
wrapped in an exception group: callers catch the store's errors by type.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

A = TypeVar("A")
B = TypeVar("B")
T = TypeVar("T")


async def both(first: Awaitable[A], second: Awaitable[B]) -> tuple[A, B]:
    """Both awaited at once."""
    tasks = (asyncio.ensure_future(first), asyncio.ensure_future(second))
    await _all(tasks)
    return tasks[0].result(), tasks[1].result()


async def in_order(
    calls: Sequence[Callable[[], Awaitable[T]]], at_once: int | asyncio.Semaphore | None = None
) -> list[T]:
    """What each call answers, in the calls' order. `at_once`: how many run at a time, or a
    semaphore several of these share (a request's share of the store's connections bounded
    across all its reads); None: all at once. Each call is made in its own task, so nothing
    is left created and never awaited when the others are cancelled."""
    if isinstance(at_once, int) and at_once < 1:
        raise ValueError(f"at_once must be at least 1, got {at_once}")
    gate = asyncio.Semaphore(at_once) if isinstance(at_once, int) else at_once

    async def one(call: Callable[[], Awaitable[T]]) -> T:
        if gate is None:
            return await call()
        async with gate:
            return await call()

    tasks = [asyncio.ensure_future(one(call)) for call in calls]
    await _all(tasks)
    return [task.result() for task in tasks]


async def _all(tasks: Sequence[asyncio.Future[Any]]) -> None:
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        raise
