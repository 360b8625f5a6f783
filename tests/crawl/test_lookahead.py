"""A crawl fetches the next page while it stores the current one: over real HTTP, one request
at a time, pages in order, and a page fetched ahead is used once, its errors recorded once."""

from __future__ import annotations

import asyncio
from typing import Any

from credgraph.ingest import crawl_sources
from credgraph.ingest.queue import CrawlQueue
from credgraph.model import CrawlStatus, Source
from credgraph.store import GraphStore
from tests.crawl.server import Route, serving
from tests.crawl.test_crawl_run import SETTINGS, acme_routes


async def test_the_next_page_is_asked_for_while_the_current_one_is_stored(
    store: GraphStore,
) -> None:
    asked_before_stored: list[bool] = []
    with serving({}) as server:
        server.routes.update(acme_routes(server.url("")))
        upsert = store.upsert_credentials

        async def watched(batch: Any) -> Any:
            # The first page's records: page 2 is already asked for, or soon is, while they
            # wait here. Without the fetch ahead it would never come (a bounded wait).
            if not asked_before_stored:
                for _ in range(1000):
                    if server.hits("/badges?page=2"):
                        break
                    await asyncio.sleep(0.01)
                asked_before_stored.append(bool(server.hits("/badges?page=2")))
            return await upsert(batch)

        store.upsert_credentials = watched  # type: ignore[method-assign]
        source = Source("acme", "openbadges", (server.url("/badges?page=1"),))
        [run] = await crawl_sources([source], store, SETTINGS)
    assert asked_before_stored == [True]
    assert run.fetched == 3 and (await store.stats()).credentials == 5
    pages = [h.path for h in server.log if h.path.startswith("/badges")]
    assert pages == ["/badges?page=1", "/badges?page=2", "/badges?page=3"]  # each once


async def test_a_page_fetched_ahead_that_fails_is_one_error_and_the_run_goes_on(
    store: GraphStore,
) -> None:
    with serving({}) as server:
        routes = acme_routes(server.url(""))
        routes["/badges?page=2"] = Route("gone", status=404, content_type="text/plain")
        server.routes.update(routes)
        source = Source("acme", "openbadges", (server.url("/badges?page=1"),))
        [run] = await crawl_sources([source], store, SETTINGS)
    assert run.status is CrawlStatus.PARTIAL
    errors = [e for e in run.error_samples if e.url.endswith("/badges?page=2")]
    assert len(errors) == 1 and "404" in errors[0].reason, run.error_samples
    assert run.fetched == 1 and (await store.stats()).credentials == 3


def test_peek_names_the_page_pop_returns_under_the_cap_and_past_it() -> None:
    for cap in (10, 2):  # past the cap, pages no earlier run fetched go first
        queue = CrawlQueue(["a"], fetched_before={"a", "b"}, cap=cap)
        order = []
        while queue.pending():
            following = queue.peek()
            page = queue.pop()
            assert following == page
            order.append(page)
            if page == "a":
                for found in ("b", "c", "a"):
                    queue.add(found)
        assert queue.peek() is None
        assert order == (["a", "b", "c"] if cap == 10 else ["a", "c", "b"])
