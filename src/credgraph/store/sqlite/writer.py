"""The SQLite store's writer thread: every write runs there, one at a time, off the event loop.

SQLite takes one writer at a time anyway, so a single thread costs no concurrency; what it
changes is where the work happens. A page of 5,000 credentials takes the better part of a
second to canonicalise, validate and write, and on the event loop that second stalled
everything else the process does (a scheduler's lease renewals and other crawls, an API
process's requests while it stores a verified badge's definition). Now the loop only waits.

`in_writer` turns a store method whose body is synchronous into the coroutine method the port
declares, run on the store's `writer`. A caller cancelled while its write runs stops waiting;
the write itself finishes (commits or rolls back whole), and closing the store waits for it.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from credgraph.errors import StoreError

P = ParamSpec("P")
T = TypeVar("T")


class WriterThread:
    """One thread that runs a store's writes in the order they are asked for."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.executor: ThreadPoolExecutor | None = None

    def start(self) -> None:
        if self.executor is None:
            self.executor = ThreadPoolExecutor(1, thread_name_prefix="credgraph-sqlite-writer")

    async def run(self, write: Callable[[], T]) -> T:
        if self.executor is None:
            raise StoreError(f"store {self.name} is not open; use `async with open_store(...)`")
        return await asyncio.get_running_loop().run_in_executor(self.executor, write)

    def close(self) -> None:
        """Stop taking writes, after the one running (and any queued) finish."""
        executor, self.executor = self.executor, None
        if executor is not None:
            executor.shutdown(wait=True)


class Writes(Protocol):
    @property
    def writer(self) -> WriterThread: ...


S = TypeVar("S", bound=Writes)


def in_writer(
    method: Callable[Concatenate[S, P], T],
) -> Callable[Concatenate[S, P], Coroutine[Any, Any, T]]:
    """`method` (synchronous) as a coroutine method run on the store's writer thread."""

    @functools.wraps(method)
    async def write(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await self.writer.run(functools.partial(method, self, *args, **kwargs))

    return write
