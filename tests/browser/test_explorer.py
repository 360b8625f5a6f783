"""The explorer in a real browser: our own GraphiQL bundle, the named examples, a query run."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Recorded, Site

pytestmark = pytest.mark.slow  # a server process and Chromium

EXAMPLES = [
    "CompareTwoCredentials",
    "CredentialsForOccupation",
    "WhatABadgeAssesses",
    "SkillGapForOccupation",
    "Search",
    "MatchAJob",
]


def test_explorer_runs_an_example_with_nothing_from_outside(
    page: Page, site: Site, recorded: Recorded
) -> None:
    page.goto(f"{site.api}/explorer")
    tabs = page.locator(".graphiql-tab")
    expect(tabs).to_have_count(len(EXAMPLES))
    for tab, name in zip(tabs.all(), EXAMPLES, strict=True):
        expect(tab).to_contain_text(name)

    page.locator(".graphiql-execute-button").click()
    response = page.locator(".result-window")
    expect(response).to_contain_text('"compareCredentials"')
    # The two most alike credentials of the store (the editor shows only what is in view).
    expect(response).to_contain_text("Data Analyst Badge")
    expect(response).to_contain_text("MSc Datenwissenschaft")

    assert recorded.urls, "the page made no request at all"
    assert recorded.external() == []
    assert not [e for e in recorded.errors if "Content Security Policy" in e], recorded.errors


def test_explorer_docs_show_schema_descriptions(page: Page, site: Site) -> None:
    page.goto(f"{site.api}/explorer")
    page.get_by_role("button", name="Show Documentation Explorer").click()
    docs = page.locator(".graphiql-doc-explorer")
    docs.get_by_role("link", name="Query", exact=True).first.click()
    expect(docs).to_contain_text("Read the credential graph")
    docs.get_by_role("link", name="compareCredentials", exact=True).click()
    expect(docs).to_contain_text("Credentials side by side")


def test_a_browser_asking_graphql_for_html_gets_the_explorer(page: Page, site: Site) -> None:
    page.goto(f"{site.api}/graphql")
    expect(page.locator(".graphiql-tab").first).to_contain_text(EXAMPLES[0])
