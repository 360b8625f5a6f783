"""The embed script on a job board's page served from another origin (CORS from settings)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.api.test_http_uvicorn import free_port
from tests.browser.conftest import Recorded, Site, job_board_page
from tests.browser.servers import static_site

pytestmark = pytest.mark.slow  # a server process and Chromium


def test_embed_renders_a_card_on_another_origin(page: Page, site: Site, recorded: Recorded) -> None:
    page.goto(f"{site.board}/jobs.html")
    card = page.locator("#card")
    expect(card).to_have_attribute("data-credgraph-state", "ready")
    # Playwright's CSS locators reach into the card's open shadow root.
    expect(card.locator(".name")).to_have_text("Data Analyst Badge")
    expect(card.locator(".meta")).to_have_text("Acme Academy · Badge")
    expect(card.locator(".skills li")).to_have_count(3)
    expect(card.locator(".score")).to_have_text("Transparency 91/100")
    link = card.get_by_role("link", name="Compare")
    expect(link).to_have_attribute(
        "href", f"{site.api}/compare?ids=https%3A%2F%2Facme.example%2Fbadges%2Fdata-analyst"
    )
    # The host page's `div { color: red }` does not reach into the card.
    color = card.locator(".name").evaluate("e => getComputedStyle(e).color")
    assert color != "rgb(255, 0, 0)"
    unknown = page.locator("#unknown")
    expect(unknown).to_have_attribute("data-credgraph-state", "not-found")
    expect(unknown.locator(".error")).to_have_text(
        "No credential with id “no-such-credential” is known to the credential service."
    )
    assert any(u.startswith(f"{site.api}/graphql?") for u in recorded.urls)


def test_the_compare_link_opens_the_comparison(page: Page, site: Site) -> None:
    page.goto(f"{site.board}/jobs.html")
    href = page.locator("#card").get_by_role("link", name="Compare").get_attribute("href")
    assert href is not None
    page.goto(href)
    expect(page.locator("#chosen li")).to_have_text(["Data Analyst Badge×"])


def test_a_page_whose_origin_is_not_allowed_says_cors_not_not_found(page: Page, site: Site) -> None:
    """The same page from an origin the API does not allow: the browser refuses to read the
    answers, and the card says so, in other words than for an unknown id."""
    with static_site(free_port(), {"/jobs.html": job_board_page(site.api)}) as elsewhere:
        page.goto(f"{elsewhere}/jobs.html")
        card = page.locator("#card")
        expect(card).to_have_attribute("data-credgraph-state", "blocked")
        message = card.locator(".error")
        expect(message).to_contain_text("blocked")
        expect(message).to_contain_text("CREDGRAPH_CORS_ORIGINS")
        assert "No credential" not in message.inner_text()
        expect(page.locator("#unknown")).to_have_attribute("data-credgraph-state", "blocked")
