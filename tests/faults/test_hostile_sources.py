"""Crawl runs against a source that hangs mid-body, trickles, resets connections, or answers
a different document on every request, over real HTTP (no fetch-layer mocks).

Each faulty run must end in bounded time with the fault recorded as an error, leave what
earlier runs stored in place (the same graph, not only the same counts), and a later good run
must succeed and leave the graph a crawl of the same catalog with no fault leaves.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from credgraph.config.sources import CrawlerSettings
from credgraph.ingest import crawl_sources
from credgraph.model import CrawlRun, CrawlStatus, Source
from credgraph.store import GraphStore, open_store
from tests.faults.hostile_source import HostileSource
from tests.faults.reference import GraphSnapshot, snapshot

pytestmark = pytest.mark.slow  # waits out real timeouts

TIMEOUT = 0.5
# The overall deadline per document is twice the timeout (Fetcher.fetch); robots.txt and the
# issuer document are fetched too, and retries back off: a generous bound that a hang breaks.
BOUND = 8.0
SETTINGS = CrawlerSettings(
    delay_seconds=0.0,
    allow_private_networks=True,
    timeout_seconds=TIMEOUT,
    max_retries=1,
    stale_after_misses=10,
)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[GraphStore]:
    opened = open_store(f"sqlite:///{tmp_path / 'faults.db'}")
    await opened.open()
    yield opened
    await opened.close()


async def crawl(store: GraphStore, source: HostileSource) -> tuple[CrawlRun, float]:
    started = time.monotonic()
    [run] = await crawl_sources([Source("hostile", "openbadges", (source.url,))], store, SETTINGS)
    return run, time.monotonic() - started


async def good_run(store: GraphStore, source: HostileSource) -> CrawlRun:
    source.mode = "good"
    run, _ = await crawl(store, source)
    assert run.status is CrawlStatus.SUCCEEDED, run.error_samples
    return run


async def reference_graph(folder: Path, source: HostileSource) -> GraphSnapshot:
    """The graph one good crawl of the source's catalog leaves in a fresh store."""
    async with open_store(f"sqlite:///{folder / 'reference.db'}") as fresh:
        await good_run(fresh, source)
        return await snapshot(fresh)


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("hang", "timed out"),
        ("trickle", "timed out"),
        ("reset", "network failure"),
    ],
)
async def test_a_broken_connection_is_a_recorded_error_and_loses_nothing(
    store: GraphStore, mode: str, reason: str, tmp_path: Path
) -> None:
    with HostileSource() as source:
        await good_run(store, source)
        before = await store.stats()
        assert before.credentials == 3
        graph_before = await snapshot(store)

        source.mode = mode
        run, took = await crawl(store, source)
        assert took < BOUND, f"{mode}: the run took {took:.1f} s"
        assert run.status in (CrawlStatus.FAILED, CrawlStatus.PARTIAL)
        assert run.errors >= 1
        assert any(reason in e.reason for e in run.error_samples), run.error_samples
        after = await store.stats()
        assert (after.credentials, after.relationships) == (
            before.credentials,
            before.relationships,
        )
        assert after.stale_credentials == 0  # an unread page does not count as a miss
        graph_after = await snapshot(store)
        assert graph_after == graph_before, graph_after.differences(graph_before)

        source.badge_numbers = range(1, 5)
        await good_run(store, source)
        assert (await store.stats()).credentials == 4
        [kept] = await store.get_credentials([f"{source.base}/badges/1"])
        assert kept.credential.name == "Badge 1"
        final, reference = await snapshot(store), await reference_graph(tmp_path, source)
        assert final == reference, final.differences(reference)


async def test_a_document_that_changes_on_every_request(store: GraphStore, tmp_path: Path) -> None:
    with HostileSource() as source:
        await good_run(store, source)
        counts = [(await store.stats()).credentials]
        source.mode = "changing"
        runs = []
        for _ in range(4):  # one of each kind of answer
            run, took = await crawl(store, source)
            assert took < BOUND
            runs.append(run)
            counts.append((await store.stats()).credentials)
        # Damaged JSON, an HTML page and binary bytes are each a recorded error...
        assert sum(1 for r in runs if r.errors) == 3, [r.error_samples for r in runs]
        assert all(r.status is not CrawlStatus.RUNNING for r in runs)
        # ...new records are added, and nothing stored before is taken away.
        assert counts == sorted(counts)
        assert counts[-1] == 3 + 2
        await good_run(store, source)
        for n in (1, 2, 3):
            assert await store.get_credentials([f"{source.base}/badges/{n}"])
        # Beside what the changing answers added, the good catalog's graph is whole.
        final, reference = await snapshot(store), await reference_graph(tmp_path, source)
        assert not final.lacks(reference), final.lacks(reference)
