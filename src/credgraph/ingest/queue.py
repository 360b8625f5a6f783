"""The pages one crawl run fetches, in order.

Pages are fetched in the order they are found (breadth first from the source's URLs). When a
catalog holds more pages than one run may fetch (`max_pages`), pages no earlier run fetched go
before ones it did, so successive capped runs page through a large catalog (a sitemap of a
million job pages) instead of fetching the same first pages every time. Under the cap the
order is the discovery order and nothing changes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Container, Iterable


class CrawlQueue:
    def __init__(self, start: Iterable[str], fetched_before: Container[str], cap: int) -> None:
        self._order: deque[str] = deque(dict.fromkeys(start))
        self._fresh: deque[str] = deque()  # found this run, never fetched by an earlier one
        self._queued = set(self._order)
        self._taken: set[str] = set()
        self._fetched_before = fetched_before
        self._cap = cap

    def add(self, page: str) -> None:
        """Queue `page` unless it was queued already (listed twice: fetched once)."""
        if page in self._queued:
            return
        self._queued.add(page)
        self._order.append(page)
        if page not in self._fetched_before:
            self._fresh.append(page)

    def pending(self) -> int:
        return len(self._queued) - len(self._taken)

    def peek(self) -> str | None:
        """The page `pop` would return next, left in the queue; None when none is left."""
        if len(self._queued) > self._cap:
            for page in self._fresh:
                if page not in self._taken:
                    return page
        for page in self._order:
            if page not in self._taken:
                return page
        return None

    def pop(self) -> str:
        """The next page to fetch; IndexError when none is left."""
        if len(self._queued) > self._cap:
            while self._fresh:
                page = self._fresh.popleft()
                if page not in self._taken:
                    self._taken.add(page)
                    return page
        while True:
            page = self._order.popleft()
            if page not in self._taken:
                self._taken.add(page)
                return page
