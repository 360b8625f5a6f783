"""Requests' CPU work (reading a job's text, ranking its candidates, matching a resume's
names, decoding a verification's fetched JSON) on one bounded pool of threads per process: one
thread per core, at least two. The indexes those requests read (the matching vocabulary, the
name index) are built on a pool of their own, `INDEX_BUILDS`: a build takes seconds to minutes
and would hold one of the requests' few threads meanwhile.

    asked = await REQUEST_THREADS.run(partial(read, text), wait=2.0)  # Busy past 2 s queued

Why a pool of its own: `asyncio.to_thread` shares the loop's default executor (cores + 4
threads) with everything else offloaded, so requests reading long texts took every thread and
the rest queued behind them, the store's health check among them (a healthy instance reported
down). More threads than cores buy no CPU, only contention for the GIL with the event loop:
CPU work waits here for a core, and nothing else waits behind it.

Work starts in the order asked. A caller that gives `wait` is refused with `Busy` once that
long passes with no thread free, and its work is taken off the queue: it never runs. Work that
has started is not stopped by its caller going (a thread cannot be stopped); a deadline it
takes when it starts, and checks as it goes, stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from credgraph.errors import Busy

T = TypeVar("T")
MIN_THREADS = 2  # a long read on a one-core machine must not hold every other request


def cores() -> int:
    """The cores this process may run on (its affinity where the platform says it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class RequestThreads:
    """A fixed number of threads for CPU work, and a bounded wait for one of them."""

    def __init__(self, threads: int, name: str = "credgraph-cpu") -> None:
        if threads < 1:
            raise ValueError(f"threads must be at least 1, got {threads}")
        self.threads = threads
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)

    async def run(self, work: Callable[[], T], *, wait: float | None = None) -> T:
        """`work()` on one of the threads, the event loop waiting. `wait`: the seconds it may
        wait for a free thread (None: as long as it takes); past it, `Busy`."""
        loop = asyncio.get_running_loop()
        started = asyncio.Event()

        def starting() -> T:
            # The loop is gone only when its caller is: the work runs all the same.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(started.set)
            return work()

        future = self._pool.submit(starting)
        try:
            if wait is not None and not await _within(started, wait) and future.cancel():
                raise Busy(
                    f"every one of the server's {self.threads} threads for this work stayed "
                    f"busy for {wait:g} s; ask again shortly",
                    seconds=wait,
                )
            return await asyncio.wrap_future(future)
        except BaseException:
            # Cancelled while queued: taken off the queue, never run. Running: it goes on
            # until it ends or its own deadline stops it, and its result is dropped.
            future.cancel()
            raise

    def close(self) -> None:
        """Stop taking work; what runs finishes, what is queued is dropped."""
        self._pool.shutdown(wait=False, cancel_futures=True)


async def _within(started: asyncio.Event, seconds: float) -> bool:
    """Whether `started` is set within `seconds`."""
    try:
        await asyncio.wait_for(started.wait(), seconds)
    except TimeoutError:
        return False
    return True


REQUEST_THREADS = RequestThreads(max(MIN_THREADS, cores()))
# Two: the vocabulary and the name index, warmed at once when a server starts.
INDEX_BUILDS = RequestThreads(2, name="credgraph-index-build")
