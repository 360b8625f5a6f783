"""The embed script on a job board's page served from another origin (CORS from settings)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import Recorded, Site


def test_embed_renders_a_card_on_another_origin(page: Page, site: Site, recorded: Recorded) -> None:
    page.goto(f"{site.board}/jobs.html")
    card = page.locator("#card")
    expect(card).to_have_attribute("data-credgraph-state", "ready")
    # Playwright's CSS locators reach into the card's open shadow root.
    expect(card.locator(".name")).to_have_text("Data Analyst Badge")
    expect(card.locator(".meta")).to_have_text("Acme Academy · badge")
    expect(card.locator(".skills li")).to_have_count(3)
    expect(card.locator(".score")).to_have_text("Transparency 91/100")
    link = card.get_by_role("link", name="Compare")
    expect(link).to_have_attribute(
        "href", f"{site.api}/compare?ids=https%3A%2F%2Facme.example%2Fbadges%2Fdata-analyst"
    )
    # The host page's `div { color: red }` does not reach into the card.
    color = card.locator(".name").evaluate("e => getComputedStyle(e).color")
    assert color != "rgb(255, 0, 0)"
    expect(page.locator("#unknown")).to_have_attribute("data-credgraph-state", "error")
    assert any(u.startswith(f"{site.api}/graphql?") for u in recorded.urls)


def test_the_compare_link_opens_the_comparison(page: Page, site: Site) -> None:
    page.goto(f"{site.board}/jobs.html")
    href = page.locator("#card").get_by_role("link", name="Compare").get_attribute("href")
    assert href is not None
    page.goto(href)
    expect(page.locator("#chosen li")).to_have_text(["Data Analyst Badge×"])
