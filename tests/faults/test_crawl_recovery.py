"""Neo4j stopped and started again in the middle of a crawl.

A realistic catalog (pages of badges with skills, occupations and one issuer, linked by
`next`) is served over real HTTP, slowly, so the crawl is surely mid-way when the test stops
its own Neo4j (tools/neo4j/server on a port of its own). Two ways a run meets the outage:

- "fails": the driver's retry time is short (CREDGRAPH_NEO4J_RETRY_SECONDS=2, as a scheduler
  that would rather try again at its next slot sets it): the run ends FAILED with the store's
  error recorded, in bounded time, and nothing escapes `crawl_sources`;
- "rides out": the default 30 s retry outlasts the restart: the write waits and the run goes
  on into the restarted server.

Either way a second crawl then completes, and the graph equals a reference graph crawled from
the same catalog with no fault (node ids by kind, relationships, key properties), and
`store check` is clean. The launcher starts Neo4j empty, so what the faulty run wrote before
the stop is gone with the restart (a production restart keeps it); the second crawl must
rebuild all of it, including pages whose documents the faulty run saved after the restart.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator

import pytest

from credgraph.config.sources import CrawlerSettings
from credgraph.ingest import crawl_sources
from credgraph.model import CrawlRun, CrawlStatus, Source
from credgraph.store import open_store
from tests.crawl.catalogs import ISSUER, badge, page
from tests.crawl.server import CatalogServer, Route, wait_for
from tests.faults.own_neo4j import launcher
from tests.faults.reference import GraphSnapshot, snapshot
from tests.stores import wipe_neo4j

pytestmark = pytest.mark.neo4j

PAGES = 10
BADGES_PER_PAGE = 4
# Per page while the fault is injected: the whole crawl takes PAGES x SLOW seconds or more, so
# stopping Neo4j after STOP_AFTER pages lands mid-way.
SLOW = 0.5
STOP_AFTER = 3
SETTINGS = CrawlerSettings(delay_seconds=0.0, allow_private_networks=True, timeout_seconds=5.0)
# A run that fails: a 2 s retry per write, twice (the failed write, then recording the run),
# plus the pages before. A run that rides out: the restart (about 10 s on two busy cores, up
# to the driver's 30 s retry) plus the pages. Later than this is a hang.
BOUND = {"fails": 30.0, "rides out": 90.0}


def catalog_routes(base: str) -> dict[str, Route]:
    routes = {
        "/robots.txt": Route("User-agent: *\nAllow: /\n", content_type="text/plain"),
        "/issuer": Route(json.dumps(ISSUER).replace("{base}", base)),
    }
    for p in range(1, PAGES + 1):
        numbers = range((p - 1) * BADGES_PER_PAGE + 1, p * BADGES_PER_PAGE + 1)
        badges = [
            badge(
                n,
                f"Badge {n}",
                skills=[f"Skill {n % 9}", f"Skill {n % 5 + 20}"],
                onet="15-2051.00" if n % 3 == 0 else None,
            )
            for n in numbers
        ]
        following = f"/badges?page={p + 1}" if p < PAGES else None
        routes[f"/badges?page={p}"] = Route(page(badges, following, base))
    return routes


def set_delay(server: CatalogServer, seconds: float) -> None:
    for path, route in server.routes.items():
        if path.startswith("/badges"):
            route.delay = seconds


def pages_served(server: CatalogServer) -> int:
    return sum(1 for h in server.log if h.path.startswith("/badges") and h.status == 200)


@pytest.fixture(scope="module")
def catalog() -> Iterator[CatalogServer]:
    with CatalogServer() as server:
        server.routes.update(catalog_routes(server.url("")))
        yield server


def source_of(server: CatalogServer) -> Source:
    return Source("restart", "openbadges", (server.url("/badges?page=1"),))


async def crawl(url: str, source: Source) -> tuple[CrawlRun, float]:
    started = time.monotonic()
    async with open_store(url) as store:
        [run] = await crawl_sources([source], store, SETTINGS)
    return run, time.monotonic() - started


async def reference_graph(url: str, catalog: CatalogServer) -> GraphSnapshot:
    await wipe_neo4j(url)
    set_delay(catalog, 0.0)
    run, _ = await crawl(url, source_of(catalog))
    assert run.status is CrawlStatus.SUCCEEDED, run.error_samples
    async with open_store(url) as store:
        return await snapshot(store)


@pytest.fixture(scope="module")
def reference(own_neo4j: tuple[str, int], catalog: CatalogServer) -> GraphSnapshot:
    """The graph a crawl of the catalog with no fault leaves in a Neo4j store."""
    graph = asyncio.run(reference_graph(own_neo4j[0], catalog))
    # A catalog worth comparing: every badge, its issuer, skills, an occupation.
    assert len(graph.ids("Credential")) == PAGES * BADGES_PER_PAGE
    assert len(graph.ids("Issuer")) == 1 and len(graph.ids("Skill")) == 14
    assert graph.ids("Occupation") == {"onet:15-2051.00"}
    return graph


async def restart_mid_crawl(
    url: str, port: int, catalog: CatalogServer, mode: str
) -> tuple[CrawlRun, float, int]:
    """Crawl slowly; stop Neo4j after STOP_AFTER pages; start it again (at once when the run
    is to ride the outage out, after the run has ended when it is to fail). Returns the run,
    its duration and the pages served when Neo4j stopped."""
    set_delay(catalog, SLOW)
    served_before = pages_served(catalog)
    crawling = asyncio.create_task(crawl(url, source_of(catalog)))
    reached = await asyncio.to_thread(
        wait_for, lambda: pages_served(catalog) - served_before >= STOP_AFTER, 30.0
    )
    assert reached and not crawling.done(), "the crawl was not running when Neo4j was to stop"
    at_stop = pages_served(catalog) - served_before
    await asyncio.to_thread(launcher, "stop", port)
    if mode == "rides out":
        await asyncio.to_thread(launcher, "start", port)
    run, took = await asyncio.wait_for(crawling, BOUND[mode] + 30)
    if mode == "fails":
        await asyncio.to_thread(launcher, "start", port)
    set_delay(catalog, 0.0)
    return run, took, at_stop


@pytest.mark.parametrize("mode", ["fails", "rides out"])
async def test_a_crawl_through_a_neo4j_restart_ends_cleanly_and_the_next_loses_nothing(
    own_neo4j: tuple[str, int],
    catalog: CatalogServer,
    reference: GraphSnapshot,
    mode: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, port = own_neo4j
    await wipe_neo4j(url)
    if mode == "fails":
        monkeypatch.setenv("CREDGRAPH_NEO4J_RETRY_SECONDS", "2")
    run, took, at_stop = await restart_mid_crawl(url, port, catalog, mode)

    print(
        f"\n{mode}: Neo4j stopped after {at_stop} of {PAGES} pages; the run ended {run.status}"
        f" in {took:.1f} s with {run.errors} errors: {[e.reason for e in run.error_samples]}"
    )
    assert took < BOUND[mode], f"the run took {took:.1f} s"
    assert at_stop < PAGES
    if mode == "fails":
        assert run.status is CrawlStatus.FAILED, (run.status, run.error_samples)
        assert any(
            "store failed" in e.reason and "cannot be reached" in e.reason
            for e in run.error_samples
        ), run.error_samples
        assert run.fetched < PAGES
    else:
        assert run.status is not CrawlStatus.RUNNING, run
        assert run.finished_at is not None

    monkeypatch.delenv("CREDGRAPH_NEO4J_RETRY_SECONDS", raising=False)
    again, _ = await crawl(url, source_of(catalog))
    assert again.status is CrawlStatus.SUCCEEDED, again.error_samples
    async with open_store(url) as store:
        graph = await snapshot(store)
        report = await store.check()
        runs = await store.crawl_runs("restart")
    assert graph == reference, graph.differences(reference)
    assert report.ok, report.as_json()
    assert runs and runs[0].id == again.id and runs[0].status is CrawlStatus.SUCCEEDED
    assert all(r.status is not CrawlStatus.RUNNING for r in runs), runs
