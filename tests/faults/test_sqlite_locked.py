"""The SQLite store file locked by another process in the middle of a crawl.

A catalog of 10 pages is crawled over real HTTP into a SQLite file, as `credgraph crawl`
runs it (under the source's lease). When the crawl asks for page 3 (answered after 1 s) a
second process takes the file's write lock (BEGIN IMMEDIATE and a write) and keeps it:

- longer than the store waits for a lock (its busy timeout): the page's write gives up, the
  run ends FAILED with the store's error naming the lock, recorded once the lock is gone;
  the pages before stay whole;
- shorter than that wait: the write waits and the run SUCCEEDS.

Either way nothing escapes the crawl, PRAGMA integrity_check is ok, and once the lock is
gone a crawl leaves the graph a crawl with no fault leaves (tests/faults/reference.py) and
`store check` finds nothing.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

from credgraph.cli.crawl import crawl_leased
from credgraph.config.sources import CrawlerSettings
from credgraph.model import CrawlRun, CrawlStatus, Source
from credgraph.store import GraphStore, open_store
from credgraph.store.sqlite import SQLiteStore
from tests.crawl.server import CatalogServer, wait_for
from tests.faults.paged_catalog import PAGES, catalog_source, serving_catalog
from tests.faults.reference import GraphSnapshot, snapshot
from tests.faults.sqlite_lock import WriteLockHolder

pytestmark = pytest.mark.slow  # another process holds the lock for real seconds

SETTINGS = CrawlerSettings(delay_seconds=0.0, allow_private_networks=True, timeout_seconds=5.0)
LOCKED_PAGE = "/badges?page=3"
# The lock is taken while the crawl waits for page 3 (PAGE_DELAY); starting the holder
# process takes well under that even on two busy cores, so the page's write meets the lock.
PAGE_DELAY = 1.0
# A short busy timeout for the failing case, so the test takes seconds, not the default 10 s.
SHORT_WAIT_MS = 1500
# Bounds for one crawl of 10 small pages plus the lock: generous, as the two shared cores may
# be busy with other suites; later than this is a hang.
RUN_BOUND = 30.0


@pytest.fixture(scope="module")
def catalog() -> Iterator[CatalogServer]:
    with serving_catalog() as server:
        yield server


def source_of(server: CatalogServer) -> Source:
    return catalog_source(server, "locked")


async def crawl(store: GraphStore, source: Source) -> CrawlRun:
    [run] = await crawl_leased(store, [source], SETTINGS, Console(file=StringIO()))
    return run


@pytest.fixture(scope="module")
def reference(catalog: CatalogServer, tmp_path_factory: pytest.TempPathFactory) -> GraphSnapshot:
    """The graph a crawl of the catalog with no fault leaves in a SQLite store."""

    async def crawl_once() -> GraphSnapshot:
        url = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'g.db'}"
        async with open_store(url) as store:
            run = await crawl(store, source_of(catalog))
            assert run.status is CrawlStatus.SUCCEEDED, run.error_samples
            return await snapshot(store)

    graph = asyncio.run(crawl_once())
    assert len(graph.ids("Credential")) == 40 and graph.ids("Occupation")
    return graph


def hold_the_lock(
    db: Path, catalog: CatalogServer, hold_after_page: float
) -> Callable[[], WriteLockHolder]:
    """In a thread of its own: wait for page 3 to be asked for, lock the file, let go
    `hold_after_page` seconds after the page is answered. A thread, not a task: the store
    waits for the lock inside a blocking sqlite3 call, which holds the event loop too."""
    done: Future[WriteLockHolder] = Future()

    def hold() -> None:
        try:
            route = catalog.routes[LOCKED_PAGE]
            assert wait_for(lambda: route.hits >= 1, 20.0), "the crawl never asked for page 3"
            asked_at = time.monotonic()
            holder = WriteLockHolder(db)
            try:
                assert holder.locked_at < asked_at + PAGE_DELAY, "the lock came after the page"
                time.sleep(max(0.0, asked_at + PAGE_DELAY + hold_after_page - time.monotonic()))
                holder.release()
            finally:
                holder.kill()
            done.set_result(holder)
        except BaseException as exc:  # handed to the test, which raises it
            done.set_exception(exc)

    threading.Thread(target=hold, daemon=True).start()
    return lambda: done.result(timeout=RUN_BOUND)


async def crawl_while_locked(
    store: GraphStore, db: Path, catalog: CatalogServer, hold_after_page: float
) -> tuple[CrawlRun, WriteLockHolder, float]:
    """Crawl while another process locks the file around page 3. Returns the run, the
    holder and when the crawl returned."""
    route = catalog.routes[LOCKED_PAGE]
    route.delay, route.hits = PAGE_DELAY, 0
    try:
        holder = hold_the_lock(db, catalog, hold_after_page)
        run = await asyncio.wait_for(crawl(store, source_of(catalog)), RUN_BOUND)
        ended = time.monotonic()
        return run, await asyncio.to_thread(holder), ended
    finally:
        route.delay = 0.0


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


async def recrawl_and_compare(url: str, catalog: CatalogServer, reference: GraphSnapshot) -> None:
    async with open_store(url) as store:
        again = await crawl(store, source_of(catalog))
        graph = await snapshot(store)
        report = await store.check()
        runs = await store.crawl_runs("locked")
    assert again.status is CrawlStatus.SUCCEEDED, again.error_samples
    assert graph == reference, graph.differences(reference)
    assert report.ok, report.as_json()
    assert not [r for r in runs if r.status is CrawlStatus.RUNNING], runs


def no_error_logged(caplog: pytest.LogCaptureFixture) -> None:
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors


async def test_a_lock_held_past_the_wait_fails_the_run_clearly_and_loses_nothing(
    tmp_path: Path,
    catalog: CatalogServer,
    reference: GraphSnapshot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    db = tmp_path / "g.db"
    wait = SHORT_WAIT_MS / 1000
    started = time.monotonic()
    async with SQLiteStore(db, busy_timeout_ms=SHORT_WAIT_MS) as store:
        # Released half a wait after the page's write gave up: the write fails, then the
        # run's final record, which waits for the lock in its turn, gets through.
        run, holder, ended = await crawl_while_locked(store, db, catalog, 1.5 * wait)
        kept = await snapshot(store)
        [recorded] = [r for r in await store.crawl_runs("locked") if r.id == run.id]
    took = ended - started
    print(f"\nlocked past the wait: {run.status} in {took:.1f} s: {run.error_samples[-1].reason}")
    assert run.status is CrawlStatus.FAILED and 2 <= run.fetched < PAGES, run
    reason = run.error_samples[-1].reason
    assert "store failed" in reason and "stayed locked by another process" in reason, reason
    assert str(db) in reason
    assert (recorded.status, recorded.error_samples) == (run.status, run.error_samples)
    assert holder.released_at is not None and took < RUN_BOUND
    no_error_logged(caplog)
    # Pages 1 and 2 were stored whole, each as the reference has it.
    assert len(kept.ids("Credential")) == 8, kept.ids("Credential")
    assert not reference.lacks(kept), reference.lacks(kept)
    assert integrity(db) == "ok"
    await recrawl_and_compare(f"sqlite:///{db}", catalog, reference)


async def test_a_lock_let_go_within_the_wait_only_slows_the_run(
    tmp_path: Path,
    catalog: CatalogServer,
    reference: GraphSnapshot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    db = tmp_path / "g.db"
    url = f"sqlite:///{db}"
    async with open_store(url) as store:  # the default wait, 10 s
        run, holder, ended = await crawl_while_locked(store, db, catalog, 1.0)
        graph = await snapshot(store)
        report = await store.check()
    print(f"\nlocked within the wait: {run.status}, {run.fetched} pages")
    assert run.status is CrawlStatus.SUCCEEDED and run.fetched == PAGES, run.error_samples
    # It had to wait: page 3's write could only go in once the holder let go.
    assert holder.released_at is not None and ended > holder.released_at
    no_error_logged(caplog)
    assert graph == reference, graph.differences(reference)
    assert report.ok, report.as_json()
    assert integrity(db) == "ok"
