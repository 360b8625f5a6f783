"""The one page a crawl fetches ahead: started when the current page's links are known, taken
when that page comes up, so the wait for the server overlaps the current page's store.

At most one fetch is in flight (a crawl still asks one thing at a time of each host). A fetch
ahead that is not taken (the run stopped, the store failed, the queue gave another page) is
cancelled, its outcome, an error included, dropped: the page is fetched again when its turn
comes, so an error is recorded against the page only by the fetch the run used.
"""

from __future__ import annotations

import asyncio
import contextlib

from credgraph.fetch.client import Fetcher
from credgraph.fetch.result import FetchResult, Validators


class Lookahead:
    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self._url: str | None = None
        self._task: asyncio.Task[FetchResult] | None = None

    def start(self, url: str, validators: Validators | None) -> None:
        """Fetch `url` in the background (replacing any other fetch ahead)."""
        if self._url == url and self._task is not None:
            return
        self.cancel()
        self._url = url
        self._task = asyncio.create_task(self.fetcher.fetch(url, validators))

    async def fetch(self, url: str, validators: Validators | None) -> FetchResult:
        """`url` fetched: the fetch ahead when it was for `url`, else a fetch now."""
        if self._url == url and self._task is not None:
            task, self._url, self._task = self._task, None, None
            return await task
        self.cancel()
        return await self.fetcher.fetch(url, validators)

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


def _retrieve(task: asyncio.Task[FetchResult]) -> None:
    with contextlib.suppress(asyncio.CancelledError):
        task.exception()
