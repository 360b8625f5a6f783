"""A crawl parses its pages in worker processes under a deadline: a page past it is an error
naming the deadline and the crawl goes on with a new worker, a parser bug is the page's
error, and the crawling process's event loop keeps running while a page parses."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from credgraph.errors import ConfigError, StoreError
from credgraph.fetch.client import Fetcher
from credgraph.formats.base import Parser
from credgraph.ingest import crawl_sources, source_run
from credgraph.ingest.documents import DocumentCrawl
from credgraph.ingest.parse_workers import (
    DEFAULT_PARSE_SECONDS,
    PARSE_SECONDS_VARIABLE,
    ParseWorkers,
    parse_seconds,
)
from credgraph.model import CrawlStatus, Source
from credgraph.store import GraphStore
from tests.crawl import faulty_parsers
from tests.crawl.server import Route, serving
from tests.crawl.test_crawl_run import SETTINGS, acme_routes
from tests.handshake import TICKS, Handshake


def every_page(base: str) -> Source:
    """The acme catalog with each page a start URL, so a page that fails still leaves the
    one after it to crawl."""
    pages = tuple(f"{base}/badges?page={n}" for n in (1, 2, 3))
    return Source("acme", "openbadges", pages)


async def saved_pages(store: GraphStore, source_id: str = "acme") -> list[str]:
    """The pages the crawl read whole, by path (a page it could not parse saves nothing)."""
    states = await store.document_states(source_id)
    return sorted(url[url.index("/", len("http://")) :] for url in states)


@pytest.mark.slow  # waits out a real deadline
async def test_a_parse_past_its_deadline_is_an_error_naming_it_and_the_crawl_goes_on(
    store: GraphStore,
) -> None:
    # One worker: page 3 is parsed only if the worker stuck on page 2 was replaced.
    workers = ParseWorkers(0.5, workers=1, parser=faulty_parsers.never_ends_on_page_2)
    with serving({}) as server:
        server.routes.update(acme_routes(server.url("")))
        async with workers:
            [run] = await crawl_sources([every_page(server.url(""))], store, SETTINGS,
                                        parsers=workers)  # fmt: skip
    assert run.status is CrawlStatus.PARTIAL
    [stuck] = [e for e in run.error_samples if e.url.endswith("/badges?page=2")]
    assert stuck.reason == (
        f"parsing took longer than 0.5 s ({PARSE_SECONDS_VARIABLE}) and was stopped"
    )
    assert run.fetched == 3
    assert await saved_pages(store) == ["/badges?page=1", "/badges?page=3"]
    assert (await store.stats()).credentials == 4  # badges 1-3 and 6


async def page_2_error(store: GraphStore, parser: Parser) -> str:
    """The reason recorded against page 2 of a crawl whose one worker parses with `parser`;
    pages 1 and 3 must be stored around it."""
    workers = ParseWorkers(workers=1, parser=parser)
    with serving({}) as server:
        server.routes.update(acme_routes(server.url("")))
        async with workers:
            [run] = await crawl_sources([every_page(server.url(""))], store, SETTINGS,
                                        parsers=workers)  # fmt: skip
    [error] = [e for e in run.error_samples if e.url.endswith("/badges?page=2")]
    assert await saved_pages(store) == ["/badges?page=1", "/badges?page=3"]
    return error.reason


async def test_a_parser_bug_in_the_worker_is_the_page_s_error(store: GraphStore) -> None:
    reason = await page_2_error(store, faulty_parsers.key_error_on_page_2)
    assert reason == "could not parse: KeyError: 'credentialSubject'"
    assert (await store.stats()).credentials == 4


async def test_any_parser_exception_is_the_page_s_error_and_the_pool_goes_on(
    store: GraphStore,
) -> None:
    reason = await page_2_error(store, faulty_parsers.odd_errors_on_page_2)
    assert reason == "could not parse: TwoPartError: credentialSubject: no items"


async def test_a_worker_that_dies_under_a_page_is_the_page_s_error(store: GraphStore) -> None:
    reason = await page_2_error(store, faulty_parsers.dies_on_page_2)
    assert reason == "the parse worker died under it (killed by signal 9)"


async def test_a_broken_linked_document_is_decoded_in_a_worker_and_named(
    store: GraphStore,
) -> None:
    with serving({}) as server:
        routes = acme_routes(server.url(""))
        routes["/issuer"] = Route("<html>not the issuer</html>")
        server.routes.update(routes)
        source = Source("acme", "openbadges", (server.url("/badges?page=1"),))
        [run] = await crawl_sources([source], store, SETTINGS)
    [issuer] = [e for e in run.error_samples if e.url.endswith("/issuer")]
    assert issuer.reason.startswith("linked document: ")
    assert "got HTML (or XML) where JSON was expected" in issuer.reason
    assert run.fetched == 3


@pytest.mark.slow  # waits for real ticks of the event loop
async def test_the_event_loop_keeps_ticking_while_a_page_parses(
    store: GraphStore, tmp_path: Path
) -> None:
    handshake = Handshake.in_folder(tmp_path)
    workers = ParseWorkers(workers=1, parser=faulty_parsers.waits_for_ticks)
    with serving({"/slow": Route(json.dumps(handshake.as_json()))}) as server:
        async with handshake.ticking(), workers:
            [run] = await crawl_sources(
                [Source("slow", "openbadges", (server.url("/slow"),))], store, SETTINGS,
                parsers=workers,
            )  # fmt: skip
    assert run.error_samples == () and run.fetched == 1
    assert await saved_pages(store, "slow") == ["/slow"]
    assert handshake.ticks >= TICKS


async def test_a_run_with_workers_of_its_own_stops_them_even_when_the_store_fails(
    store: GraphStore,
) -> None:
    async def broken(_batch: object) -> None:
        raise StoreError("disk full")

    store.upsert_credentials = broken  # type: ignore[method-assign, assignment]
    with serving({}) as server:
        server.routes.update(acme_routes(server.url("")))
        source = Source("acme", "openbadges", (server.url("/badges?page=1"),))
        crawl = source_run(source, store, Fetcher(SETTINGS), SETTINGS)
        async with crawl.fetcher:
            run = await crawl.run()
    assert run.status is CrawlStatus.FAILED
    assert isinstance(crawl, DocumentCrawl) and crawl.parsers is not None
    assert crawl.tally.fetched >= 1  # a page was parsed: the workers had started
    assert not crawl.parsers.running


def test_the_parse_deadline_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(PARSE_SECONDS_VARIABLE, raising=False)
    assert parse_seconds() == DEFAULT_PARSE_SECONDS
    monkeypatch.setenv(PARSE_SECONDS_VARIABLE, "2.5")
    assert parse_seconds() == 2.5
    for wrong in ("0", "-1", "soon", "nan", "7200"):
        monkeypatch.setenv(PARSE_SECONDS_VARIABLE, wrong)
        with pytest.raises(ConfigError) as raised:
            parse_seconds()
        assert f"{PARSE_SECONDS_VARIABLE}={wrong!r}" in str(raised.value)
        assert "above 0, at most 3600" in str(raised.value)


@pytest.mark.slow  # starts worker processes
async def test_workers_stopped_under_a_parse_make_it_the_page_s_error(tmp_path: Path) -> None:
    """`aclose()` while a page parses ends that parse as the page's error, not as a
    cancellation of the task that asked for it."""
    from datetime import UTC, datetime

    from credgraph.formats.base import Document, ParseError

    stuck = Document(
        url=f"https://x.example{faulty_parsers.STUCK_PAGE}",
        text="{}",
        source_id="acme",
        format="openbadges",
        fetched_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    workers = ParseWorkers(workers=1, parser=faulty_parsers.never_ends_on_page_2)
    try:
        await workers.start()
        parsing = asyncio.ensure_future(workers.parse(stuck))
        await asyncio.sleep(0.2)  # the worker has it (or is about to): either way it is stopped
        await workers.aclose()
        with pytest.raises(ParseError, match="parse workers were stopped"):
            await asyncio.wait_for(parsing, 30)
    finally:
        await workers.aclose()
