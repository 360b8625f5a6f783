"""A job board's page with many cards, on an API whose per-IP rate limit is on: the cards are
asked for in a few batched requests, and a request past the limit is tried again after its
Retry-After."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, served_site
from tests.contract import data

pytestmark = pytest.mark.slow  # a server process and Chromium

CARDS = 80


@pytest.fixture(scope="module")
def limited_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    known = [c.id for c in data.credentials()]
    ids = known + [f"https://unknown.example/badges/{n}" for n in range(CARDS - len(known) - 1)]
    ids.append(known[0])  # one credential twice on the page: asked for once
    hosts = "\n".join(
        f'<div id="card-{n}" data-credgraph-credential="{i}"></div>' for n, i in enumerate(ids)
    )

    def pages(api: str, board: str) -> dict[str, str]:
        return {
            "/many.html": f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Jobs</title></head><body>{hosts}
<script src="{api}/embed.js" async></script></body></html>"""
        }

    # Three requests at once, then one every two seconds: a page of 80 cards asked one by one
    # would see 77 of them refused.
    limits = {"CREDGRAPH_RATE_LIMIT_PER_IP": "0.5", "CREDGRAPH_RATE_BURST_PER_IP": "3"}
    with served_site(tmp_path_factory.mktemp("browser-limited"), pages, limits) as served:
        yield served


def test_eighty_cards_cost_a_few_requests_and_none_is_lost_to_the_rate_limit(
    page: Page, limited_site: Site
) -> None:
    site = limited_site
    answers: list[int] = []
    page.on("response", lambda r: answers.append(r.status) if "/graphql?" in r.url else None)
    page.goto(f"{site.board}/many.html")
    cards = page.locator("[data-credgraph-credential]")
    expect(cards).to_have_count(CARDS)
    expect(page.locator("[data-credgraph-state=loading]")).to_have_count(0, timeout=15_000)
    states = [c.get_attribute("data-credgraph-state") for c in cards.all()]
    assert states.count("ready") == len(data.credentials()) + 1, states
    assert states.count("not-found") == CARDS - states.count("ready"), states
    expect(page.locator("#card-0 .name")).to_have_text("Data Analyst Badge")
    expect(page.locator(f"#card-{CARDS - 1} .name")).to_have_text("Data Analyst Badge")
    # 79 distinct ids in four batches of at most 20; the fourth is past the burst of three,
    # refused with Retry-After and asked again two seconds later.
    assert answers.count(200) == 4, answers
    assert 429 in answers and len(answers) <= 6, answers
