"""The CPU work of an export (turning items into bytes, compressing them) runs in a worker
thread, so the event loop only waits for it and goes on answering other requests.

    offload = Offload(deadline)
    chunks = await offload.run(writer.items, batch)   # in a worker, under the deadline
    ...
    offload.close(writer.close)                        # after the last step, even a cut one

Steps of one export run one at a time, in order. A step cut by the deadline or a cancelled
request still finishes in its thread (a thread cannot be stopped; one step is one batch, so it
is short), and `close` waits for it before releasing what the step may still be using.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from credgraph.export.deadline import Deadline

P = ParamSpec("P")
T = TypeVar("T")
log = logging.getLogger("credgraph.export")
WORKERS = 4  # threads for every export of the process; exports are capped well below this


@functools.cache
def _pool() -> ThreadPoolExecutor:
    # Its own pool: the store's reads and other offloaded work never queue behind an export.
    return ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="credgraph-export")


class Offload:
    def __init__(self, deadline: Deadline | None = None) -> None:
        self.deadline = deadline
        self._last: Future[object] | None = None

    async def run(self, step: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`step(*args)` in a worker thread; ExportTimedOut past the deadline."""
        future = _pool().submit(step, *args, **kwargs)
        self._last = future  # type: ignore[assignment]
        waiting = asyncio.wrap_future(future)
        if self.deadline is None:
            return await waiting
        async with self.deadline.bound():
            return await waiting

    def close(self, release: Callable[[], object]) -> None:
        """Call `release` once no step is running: now, or when the running one ends."""
        last = self._last
        if last is None or last.done():
            release()
            return

        def after(_: Future[object]) -> None:
            try:
                release()
            except Exception:  # in a worker, after the export's caller has gone
                log.exception("releasing a stopped export's resources failed")

        last.add_done_callback(after)
