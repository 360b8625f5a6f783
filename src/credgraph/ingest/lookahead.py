"""The one page a crawl loads ahead: started when the current page's links are known, taken
when that page comes up, so the wait for the server and the page's parse (in a worker
process) overlap the current page's link and store.

At most one page is loaded ahead, so at most one fetch is in flight (a crawl still asks one
thing at a time of each host). A page loaded ahead that is not taken (the run stopped, the
store failed, the queue gave another page) is cancelled, its outcome, an error included,
dropped: the page is loaded again when its turn comes, so an error is recorded against the
page only by the load the run used.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Lookahead(Generic[T]):
    """`load(url)` run ahead of its turn for one page at a time."""

    def __init__(self, load: Callable[[str], Awaitable[T]]) -> None:
        self.load = load
        self._url: str | None = None
        self._task: asyncio.Task[T] | None = None

    def start(self, url: str) -> None:
        """Load `url` in the background (replacing any other page loaded ahead)."""
        if self._url == url and self._task is not None:
            return
        self.cancel()
        self._url = url
        self._task = asyncio.ensure_future(self.load(url))

    async def take(self, url: str) -> T:
        """`url` loaded: the load ahead when it was for `url`, else a load now."""
        if self._url == url and self._task is not None:
            task, self._url, self._task = self._task, None, None
            return await task
        self.cancel()
        return await self.load(url)

    def cancel(self) -> None:
        task, self._url, self._task = self._task, None, None
        if task is None:
            return
        if task.done():
            if not task.cancelled():
                task.exception()  # retrieved, so asyncio does not report it as lost
            return
        task.cancel()
        # Once it has run to its end, its exception (cancelled or not) is retrieved.
        task.add_done_callback(_retrieve)


def _retrieve(task: asyncio.Future[Any]) -> None:
    with contextlib.suppress(asyncio.CancelledError):
        task.exception()
