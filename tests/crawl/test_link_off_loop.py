"""A page is linked in a thread while the crawl's event loop goes on: linking fuzzy-matches
every label no node carries (about 10 ms each against ESCO and O*NET), so a page of hundreds
of new labels took seconds on the loop. Sources sharing one linker link one page at a time."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from credgraph.ingest import crawl_sources
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
