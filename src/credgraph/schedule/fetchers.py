"""The Fetcher runs share: one per crawler settings, so per-host politeness holds across all
sources crawled at once. A reload that changes `[crawler]` starts a new Fetcher for new runs;
the old one closes when its last run ends."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx

from credgraph.config.sources import CrawlerSettings
from credgraph.fetch.client import Fetcher


class FetcherPool:
    def __init__(self, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._transport = transport
        self._fetchers: dict[CrawlerSettings, Fetcher] = {}
        self._users: dict[CrawlerSettings, int] = {}
        self._current: CrawlerSettings | None = None

    @contextlib.asynccontextmanager
    async def use(self, settings: CrawlerSettings) -> AsyncIterator[Fetcher]:
        self._current = settings
        fetcher = self._fetchers.get(settings)
        if fetcher is None:
            fetcher = Fetcher(settings, transport=self._transport)
            await fetcher.__aenter__()
            self._fetchers[settings] = fetcher
        self._users[settings] = self._users.get(settings, 0) + 1
        try:
            yield fetcher
        finally:
            self._users[settings] -= 1
            await self._close_unused()

    async def _close_unused(self) -> None:
        for settings in list(self._fetchers):
            if settings != self._current and self._users.get(settings, 0) == 0:
                await self._fetchers.pop(settings).__aexit__(None, None, None)

    async def close(self) -> None:
        self._current = None
        await self._close_unused()
