"""The embed script's job card on a job board's page from another origin: the credentials
that prepare for a stored posting, with the share of its skills each covers."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from credgraph.formats.jobposting import read_posting
from credgraph.store import open_store
from tests.api.http_helpers import loaded_store_url
from tests.api.test_http_uvicorn import free_port
from tests.browser.conftest import Recorded, Site
from tests.browser.servers import serve_api, static_site

pytestmark = pytest.mark.slow  # a server process and Chromium

POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Data analyst",
    "url": "https://jobs.example/data-analyst",
    "description": "<p>You will query data with SQL and Python every day.</p>",
}


async def with_posting(folder: Path) -> tuple[str, str]:
    url = await loaded_store_url(folder)
    read = read_posting(POSTING, POSTING["url"])
    assert read.posting is not None
    async with open_store(url) as store:
        await store.upsert_job_postings([read.posting])
    return url, read.posting.id


@pytest.fixture(scope="module")
def job_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, str]]:
    folder = tmp_path_factory.mktemp("browser-jobs")
    with ThreadPoolExecutor(1) as pool:  # pytest-asyncio may run a loop in this thread
        store_url, posting_id = pool.submit(asyncio.run, with_posting(folder)).result()
    api_port, board_port = free_port(), free_port()
    api, board = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{board_port}"
    process = serve_api(
        store_url,
        api_port,
        {
            "CREDGRAPH_CORS_ORIGINS": board,
            "CREDGRAPH_RATE_LIMIT_PER_IP": "0",
            "CREDGRAPH_ACCESS_LOG": "off",
        },
    )
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Jobs</title>
<style>div {{ color: red; }}</style></head><body><h1>Data analyst, Example Corp</h1>
<div id="job" data-credgraph-job="{posting_id}"></div>
<div id="nojob" data-credgraph-job="no-such-posting"></div>
<script src="{api}/embed.js" async></script></body></html>"""
    try:
        with static_site(board_port, {"/job.html": page}):
            yield Site(api=api, board=board), posting_id
    finally:
        process.kill()
        process.communicate()


def test_job_card_lists_the_credentials_that_prepare(
    page: Page, job_site: tuple[Site, str], recorded: Recorded
) -> None:
    site, _ = job_site
    page.goto(f"{site.board}/job.html")
    card = page.locator("#job")
    expect(card).to_have_attribute("data-credgraph-state", "ready")
    expect(card.locator(".name")).to_have_text("Credentials that prepare for this job")
    expect(card.locator(".meta")).to_contain_text("SQL")
    rows = card.locator(".matches li")
    # the badge and the MSc cover both skills, SQL Basics one of the two
    expect(rows).to_have_count(3)
    expect(rows.locator(".coverage")).to_have_text(
        ["100% of skills", "100% of skills", "50% of skills"]
    )
    expect(rows.nth(2)).to_contain_text("SQL Basics")
    href = card.get_by_role("link", name="Compare").get_attribute("href")
    assert href is not None and href.startswith(f"{site.api}/compare?ids=")
    assert href.count(",") == 2
    expect(page.locator("#nojob")).to_have_attribute("data-credgraph-state", "not-found")
    expect(page.locator("#nojob .error")).to_contain_text("No job posting")
    assert any("EmbedJob" in u for u in recorded.urls)


def test_a_job_card_listing_five_compares_the_top_four(page: Page, site: Site) -> None:
    """The compare page takes four credentials: a card listing five links the best four and
    says so, and the link opens their comparison with nothing refused."""
    ranked = [
        "https://acme.example/badges/data-analyst",
        "ce-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "https://acme.example/badges/sql-basics",
        "https://nobody.example/c/ethics",
        "https://acme.example/badges/cloud",
    ]
    answer = {
        "data": {
            "matchJob": {
                "skills": [{"name": "SQL"}],
                "credentials": [
                    {"credential": {"id": i, "name": f"Match {n}", "issuer": None}, "coverage": 1}
                    for n, i in enumerate(ranked, 1)
                ],
            }
        }
    }

    def five_matches(route: Route) -> None:  # a graph where five credentials prepare
        headers = {"Access-Control-Allow-Origin": site.board}
        route.fulfill(json=answer, headers=headers)

    page.route(f"{site.api}/graphql?*EmbedJob*", five_matches)
    site.pages["/five.html"] = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Jobs</title></head><body><div id="job" data-credgraph-job="posting-5"></div>
<script src="{site.api}/embed.js" async></script></body></html>"""
    page.goto(f"{site.board}/five.html")
    card = page.locator("#job")
    expect(card).to_have_attribute("data-credgraph-state", "ready")
    expect(card.locator(".matches li")).to_have_count(5)
    link = card.get_by_role("link", name="Compare the top 4")
    href = link.get_attribute("href")
    assert href is not None and href.count(",") == 3
    page.goto(href)
    expect(page.locator("#table thead th")).to_have_text(
        ["Field", "Data Analyst Badge", "MSc Datenwissenschaft", "SQL Basics", "Ethics in AI"]
    )
    expect(page.locator("#refused")).to_be_hidden()
