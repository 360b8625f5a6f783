"""Runs share one Fetcher per crawler settings; a reload's new settings get a new one and the
old one closes when its last run ends."""

from __future__ import annotations

from credgraph.config.sources import CrawlerSettings
from credgraph.schedule.fetchers import FetcherPool


async def test_runs_share_a_fetcher_until_the_settings_change() -> None:
    pool = FetcherPool()
    old, new = CrawlerSettings(delay_seconds=0), CrawlerSettings(delay_seconds=2)
    async with pool.use(old) as first, pool.use(old) as second:
        assert first is second  # per-host politeness holds across sources
        async with pool.use(new) as third:
            assert third is not first
        # `old` is still in use by two runs: kept open until they end.
        assert old in pool._fetchers
    assert old not in pool._fetchers and new in pool._fetchers
    await pool.close()
    assert pool._fetchers == {}
