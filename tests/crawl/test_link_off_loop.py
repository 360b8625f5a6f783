"""A page is linked in a thread while the crawl's event loop goes on: linking fuzzy-matches
every label no node carries (about 10 ms each against ESCO and O*NET), so a page of hundreds
of new labels took seconds on the loop. Sources sharing one linker link one page at a time."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from pathlib import Path
from typing import Any

import pytest

from credgraph.fetch.client import Fetcher
from credgraph.formats.base import ParseResult
from credgraph.ingest import crawl_sources, source_run
from credgraph.ingest import run as run_module
from credgraph.model import CrawlStatus, Source
from credgraph.store import GraphStore
from tests.crawl.server import serving
from tests.crawl.test_crawl_run import SETTINGS, acme_routes
from tests.handshake import TICKS, Handshake, wait_for_ticks


async def test_the_event_loop_keeps_ticking_while_a_page_is_linked(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handshake = Handshake.in_folder(tmp_path)
    real = run_module.link_page

    def link_after_ticks(linker: Any, result: Any) -> Any:
        # On the loop, the ticks this waits for could not come: it gives up and fails.
        wait_for_ticks(handshake.as_json())
        return real(linker, result)

    monkeypatch.setattr(run_module, "link_page", link_after_ticks)
    with serving({}) as server:
        server.routes.update(acme_routes(server.url("")))
        source = Source("acme", "openbadges", (server.url("/badges?page=1"),))
        async with handshake.ticking():
            [run] = await crawl_sources([source], store, SETTINGS)
    # The catalog's own faults (a bad record, a pagination loop) make it PARTIAL.
    assert run.status is CrawlStatus.PARTIAL and run.created > 0, run.error_samples
    assert handshake.ticks >= TICKS


async def test_sources_sharing_a_linker_link_one_page_at_a_time(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = run_module.link_page
    linking, most, calls = 0, 0, 0
    guard = threading.Lock()
    overlap = threading.Event()

    def counted(linker: Any, result: Any) -> Any:
        nonlocal linking, most, calls
        with guard:
            calls += 1
            linking += 1
            most = max(most, linking)
        try:
            # Long enough for another source's page to start linking if it could.
            overlap.wait(0.05)
            return real(linker, result)
        finally:
            with guard:
                linking -= 1

    monkeypatch.setattr(run_module, "link_page", counted)
    with serving({}) as server:
        server.routes.update(acme_routes(server.url("")))
        sources = [
            Source(name, "openbadges", (server.url("/badges?page=1"),))
            for name in ("acme-a", "acme-b", "acme-c")
        ]
        runs = await crawl_sources(sources, store, SETTINGS)
    assert all(r.status is CrawlStatus.PARTIAL for r in runs)
    assert calls >= 3 and most == 1  # every source linked its pages, never two at once


async def test_a_cancelled_page_keeps_the_turn_until_its_linking_thread_ends(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A thread cannot be stopped: while a cancelled run's page is still being linked, another
    # source sharing the linker must not start linking beside it.
    first_in, first_may_end, second_in = threading.Event(), threading.Event(), threading.Event()
    order: list[str] = []

    def link(linker: Any, result: Any) -> Any:
        if not order:
            order.append("first began")
            first_in.set()
            first_may_end.wait(30)
            order.append("first ended")
        else:
            order.append("second began")
            second_in.set()
        return result, []

    monkeypatch.setattr(run_module, "link_page", link)
    turn = asyncio.Lock()
    linker: Any = object()  # never used: linking is the stand-in above
    runs = [
        source_run(
            Source(n, "openbadges", ("http://x/",)),
            store,
            Fetcher(SETTINGS),
            SETTINGS,
            linker=linker,
            linker_turn=turn,
        )
        for n in ("a", "b")
    ]
    first = asyncio.create_task(runs[0]._linked(ParseResult()))
    assert await asyncio.to_thread(first_in.wait, 30)
    first.cancel()
    second = asyncio.create_task(runs[1]._linked(ParseResult()))
    # The second waits for the turn (given half a second to break in, were it free).
    assert not await asyncio.to_thread(second_in.wait, 0.5)
    assert order == ["first began"]
    first_may_end.set()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(first, 30)
    await asyncio.wait_for(second, 30)
    assert order == ["first began", "first ended", "second began"]
