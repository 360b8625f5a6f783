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


def test_cards_on_elements_without_a_shadow_root_render_and_so_do_the_rest(
    page: Page, site: Site
) -> None:
    """<li>, <td>, <a> and <ul> cannot take a shadow root: their cards render in one of their
    own inside them, and every card after them on the page is mounted too."""
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hosts</title>
<style>li, td {{ color: red; }}</style></head><body>
<ul><li id="li" data-credgraph-credential="https://acme.example/badges/data-analyst"></li></ul>
<table><tr><td id="td" data-credgraph-credential="https://acme.example/badges/sql-basics"></td>
</tr></table>
<a id="a" href="#" data-credgraph-credential="https://acme.example/badges/cloud"></a>
<ul id="ul" data-credgraph-credential="https://nobody.example/c/ethics"></ul>
<div id="div" data-credgraph-credential="https://acme.example/badges/data-analyst"></div>
<div id="unknown" data-credgraph-credential="no-such-credential"></div>
<script src="{site.api}/embed.js" async></script></body></html>"""
    site.pages["/hosts.html"] = html
    page.goto(f"{site.board}/hosts.html")
    names = {
        "li": "Data Analyst Badge",
        "td": "SQL Basics",
        "a": "Cloud Practitioner",
        "ul": "Ethics in AI",
        "div": "Data Analyst Badge",
    }
    for host, name in names.items():
        card = page.locator(f"#{host}")
        expect(card).to_have_attribute("data-credgraph-state", "ready")
        expect(card.locator(".name")).to_have_text(name)
        expect(card.locator(".name")).to_be_visible()
    color = page.locator("#li .name").evaluate("e => getComputedStyle(e).color")
    assert color != "rgb(255, 0, 0)"  # the page's `li { color: red }` stays out
    expect(page.locator("#unknown")).to_have_attribute("data-credgraph-state", "not-found")


def test_ids_named_as_object_properties_are_ids_like_any_other(page: Page, site: Site) -> None:
    """ "constructor", "toString" and "__proto__" as card ids are not found, and the cards
    beside them render (they were keys of an object with a prototype: no card loaded)."""
    hosts = "".join(
        f'<div id="h{n}" data-credgraph-credential="{i}"></div>'
        for n, i in enumerate(["constructor", "toString", "__proto__"])
    )
    site.pages["/odd-ids.html"] = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Odd ids</title></head><body>{hosts}
<div id="good" data-credgraph-credential="https://acme.example/badges/data-analyst"></div>
<script src="{site.api}/embed.js" async></script></body></html>"""
    page.goto(f"{site.board}/odd-ids.html")
    expect(page.locator("#good")).to_have_attribute("data-credgraph-state", "ready")
    for n in range(3):
        expect(page.locator(f"#h{n}")).to_have_attribute("data-credgraph-state", "not-found")
