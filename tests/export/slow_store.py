"""A store whose graph streams are slow, to watch an export's deadline and cleanup at work."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any, cast

from credgraph.store import GraphStore
from credgraph.store.base import GraphItem


class SlowStore:
    """A store whose graph streams wait `delay` before each item, and say when closed."""

    def __init__(self, store: GraphStore, delay: float) -> None:
        self.store = store
        self.delay = delay
        self.items_read = 0
        self.streams_opened = 0
        self.streams_closed = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    async def _slowly(self, items: AsyncIterator[GraphItem]) -> AsyncIterator[GraphItem]:
        self.streams_opened += 1
        try:
            async for item in items:
                await asyncio.sleep(self.delay)
                self.items_read += 1
                yield item
        finally:
            self.streams_closed += 1

    def iter_graph(self) -> AsyncIterator[GraphItem]:
        return self._slowly(self.store.iter_graph())

    def neighbourhood(self, seeds: Sequence[str], depth: int) -> AsyncIterator[GraphItem]:
        return self._slowly(self.store.neighbourhood(seeds, depth))


def slow(store: GraphStore, delay: float) -> tuple[GraphStore, SlowStore]:
    wrapper = SlowStore(store, delay)
    return cast(GraphStore, wrapper), wrapper
