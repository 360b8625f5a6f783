"""`matchJob(url:)` reads the fetched page in a parse worker process: the API's event loop
keeps running while a page parses, a page past the deadline is a TIMEOUT naming the limit,
and every request shares one pool of workers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from credgraph.ingest.parse_workers import ParseWorkers
from credgraph.match import fetching
from credgraph.store import GraphStore
from tests.api.conftest import errors
from tests.handshake import TICKS, Handshake
from tests.match import slow_pages
from tests.match.test_match_api import MATCH, match, serve_page

URL = "http://93.184.215.14/a"  # an IP literal: the SSRF guard checks it without DNS
PAGE = (
    '<html><script type="application/ld+json">{"@context": "https://schema.org", '
    '"@type": "JobPosting", "title": "Analyst", "url": "http://93.184.215.14/a", '
    '"description": "Statistics and SQL."}</script></html>'
)


async def test_the_event_loop_keeps_ticking_while_a_posting_page_parses(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    handshake = Handshake.in_folder(tmp_path)
    body = json.dumps({**handshake.as_json(), "page": PAGE})
    async with ParseWorkers(workers=1, parser=slow_pages.waits_for_ticks) as parsers:
        serve_page(monkeypatch, body, parsers)
        async with handshake.ticking():
            m = await match(store, url=URL)
    assert [s["name"] for s in m["skills"]] == ["Statistics", "SQL"]
    assert handshake.ticks >= TICKS


async def test_a_page_past_the_parse_deadline_is_a_timeout_naming_the_limit(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = fetching.PARSE_LIMIT
    async with ParseWorkers(0.5, workers=1, parser=slow_pages.never_ends, limit=limit) as parsers:
        serve_page(monkeypatch, PAGE, parsers)
        found = await errors(store, MATCH, {"url": URL})
        assert parsers.running  # the stuck worker was killed and replaced, the pool is up
    assert found[0]["extensions"]["code"] == "TIMEOUT"
    assert found[0]["message"] == (
        "`url` could not be read: parsing took longer than 0.5 s "
        "(the limit for reading one posting page) and was stopped"
    )


async def test_requests_parse_in_the_pool_of_the_process(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_page(monkeypatch, PAGE)
    await fetching.PAGE_PARSERS.aclose()
    try:
        for _ in range(2):
            m = await match(store, url=URL)
            assert [s["name"] for s in m["skills"]] == ["Statistics", "SQL"]
            assert fetching.PAGE_PARSERS.running  # started by the first page, kept after it
    finally:
        await fetching.PAGE_PARSERS.aclose()
    assert not fetching.PAGE_PARSERS.running
