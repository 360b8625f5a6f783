"""Browser tests: Debian's Chromium, headless, driven by Playwright (Python), against a real
`credgraph serve` over a loaded SQLite store. One browser for the session, a fresh context
(its own cookies and storage) per test; every request a page makes is recorded, and a test
fails if any leaves 127.0.0.1. Screenshots go to artifacts/browser/.

Without Chromium these tests skip on a developer's machine and fail in CI (`CI` set), where
`tools/run-tests` installs it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from credgraph.model import Credential, CredentialType
from credgraph.store import open_store
from tests.api.http_helpers import loaded_store_url
from tests.api.test_http_uvicorn import free_port
from tests.browser.servers import serve_api, static_site
from tests.contract import data

CHROMIUM = os.environ.get("CREDGRAPH_TEST_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying Google's hosts, which this
# closed network refuses; without --no-sandbox it will not start as root.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
LOCAL_SCHEMES = ("data", "blob", "about")
# A legal URL with a comma, as some catalogs publish: it must survive the compare page's URL.
COMMA_ID = "https://commas.example/badges/sql,python"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)
    # Last: Playwright's sync API keeps an event loop running in this thread while it is
    # open, and pytest-asyncio cannot start a test's loop then (every async test after it
    # failed with "Runner.run() cannot be called from a running event loop").
    items.sort(key=lambda item: "tests/browser/" in item.nodeid)


@dataclass
class Site:
    api: str  # credgraph serve
    board: str  # a job board's page, on another port: another origin
    # The board's pages by path, read at each request: a test may add its own. (A page a test
    # fulfils itself counts as a public site, which Chromium forbids to load from 127.0.0.1.)
    pages: dict[str, str] = field(default_factory=dict)


@dataclass
class Recorded:
    """Every request a page made, and its console errors."""

    urls: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def external(self) -> list[str]:
        return [
            u for u in self.urls
            if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname != "127.0.0.1"
        ]  # fmt: skip


@pytest.fixture(scope="package")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with served_site(
        tmp_path_factory.mktemp("browser-store"),
        lambda api, board: {"/jobs.html": job_board_page(api), "/other.html": job_board_page(api)},
        {"CREDGRAPH_RATE_LIMIT_PER_IP": "0"},
    ) as served:
        yield served


@contextmanager
def served_site(
    folder: Path, pages_for: Callable[[str, str], dict[str, str]], env: dict[str, str]
) -> Iterator[Site]:
    """An API on the browser tests' graph (`env` added to its settings) and a job board on
    another port serving `pages_for(api, board)`, both stopped on exit."""
    # A thread of its own: pytest-asyncio may already run a loop in this one.
    with ThreadPoolExecutor(1) as pool:
        store_url = pool.submit(asyncio.run, browser_store_url(folder)).result()
    api_port, board_port = free_port(), free_port()
    board = f"http://127.0.0.1:{board_port}"
    api = f"http://127.0.0.1:{api_port}"
    settings = {"CREDGRAPH_CORS_ORIGINS": board, "CREDGRAPH_ACCESS_LOG": "off", **env}
    process = serve_api(store_url, api_port, settings)
    pages = pages_for(api, board)
    try:
        with static_site(board_port, pages):
            yield Site(api=api, board=board, pages=pages)
    finally:
        process.kill()
        process.communicate()


async def browser_store_url(folder: Path) -> str:
    """The API tests' graph, and a credential whose id holds a comma."""
    url = await loaded_store_url(folder)
    comma = Credential(
        COMMA_ID,
        "Comma Course",
        CredentialType.COURSE,
        issuer=data.NOBODY,
        skills=(data.link(data.ETHICS),),
        provenance=data.prov("src-b", "https://commas.example"),
    )
    async with open_store(url) as store:
        await store.upsert_credentials([comma])
    return url


def job_board_page(api: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Jobs</title><style>div {{ color: red; font-size: 40px; }}</style></head><body>
<h1>Data analyst, Example Corp</h1>
<p>Candidate holds:</p>
<div id="card" data-credgraph-credential="https://acme.example/badges/data-analyst"></div>
<div id="unknown" data-credgraph-credential="no-such-credential"></div>
<script src="{api}/embed.js" async></script>
</body></html>"""


@pytest.fixture(scope="package")  # closed with the package: see the ordering above
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        message = f"Chromium not found at {CHROMIUM}: tools/run-tests installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright gives each launch a fresh, empty profile directory of its own.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def recorded() -> Recorded:
    return Recorded()


@pytest.fixture
def page(browser: object, recorded: Recorded, request: pytest.FixtureRequest) -> Iterator[object]:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("request", lambda r: recorded.urls.append(r.url))
    page.on("console", lambda m: recorded.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: recorded.errors.append(str(e)))
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    finally:
        context.close()
    # Every test, whatever it checks, also proves that nothing left the machine.
    assert recorded.external() == [], recorded.external()
