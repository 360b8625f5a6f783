"""The compare page in a real browser: table, shared skills, search, URL, CSV, keyboard, phone."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from tests.browser.conftest import Site

BADGE = "https://acme.example/badges/data-analyst"
MSC = "ce-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
SQL_BASICS = "https://acme.example/badges/sql-basics"


def compared_ids(page: Page) -> list[str]:
    return parse_qs(urlsplit(page.url).query).get("ids", [""])[0].split(",")


def test_two_ids_show_the_table_with_shared_skills_highlighted(page: Page, site: Site) -> None:
    page.goto(f"{site.api}/compare?ids={BADGE},{MSC}")
    table = page.locator("#table")
    expect(table.locator("thead th")).to_have_text(
        ["Field", "Data Analyst Badge", "MSc Datenwissenschaft"]
    )
    expect(table.locator("tr[data-field=issuer] td")).to_have_text(
        ["Acme Academy", "Universität Zürich"]
    )
    expect(table.locator("tr[data-field=credits] td")).to_have_text(["not stated", "90 ECTS"])
    expect(table.locator("tr[data-field=transparency] td").first).to_contain_text("Missing: ")
    shared = table.locator("tr[data-field=skills] td").first.locator("li.shared")
    expect(shared).to_have_text(
        ["Python (computer programming)", "SQL", "Statistics"], ignore_case=False
    )
    unique = table.locator("tr[data-field=skills] td").nth(1).locator("li.unique")
    expect(unique).to_have_text(["Data ethics"])
    # Shared skills are drawn differently from unique ones (the highlight).
    shared_bg = shared.first.evaluate("e => getComputedStyle(e).backgroundColor")
    unique_bg = unique.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert shared_bg != unique_bg
    expect(table.locator("tr[data-field=sources] a").first).to_have_attribute(
        "href", "https://catalog.example/page1"
    )


def test_csv_download_holds_the_table(page: Page, site: Site) -> None:
    page.goto(f"{site.api}/compare?ids={BADGE},{MSC}")
    expect(page.locator("#download")).to_be_enabled()
    with page.expect_download() as info:
        page.locator("#download").click()
    download = info.value
    assert download.suggested_filename == "credgraph-comparison.csv"
    with open(download.path(), encoding="utf-8") as handle:
        rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(handle.read()))}
    assert rows["Field"] == ["Data Analyst Badge", "MSc Datenwissenschaft"]
    assert rows["Cost"] == ["199 USD", "1500 CHF"]
    assert rows["Shared skills"][0] == "Python (computer programming); SQL; Statistics"
    assert rows["Unique skills"] == ["", "Data ethics"]
    assert "validity" in rows["Missing fields"][0]


def test_search_adds_by_keyboard_and_updates_the_url(page: Page, site: Site) -> None:
    page.goto(f"{site.api}/compare?ids={BADGE}")
    expect(page.locator("#chosen li")).to_have_count(1)
    search = page.get_by_label("Add a credential (up to four)")
    search.focus()
    search.press_sequentially("SQL Bas", delay=20)
    option = page.get_by_role("option", name="SQL Basics")
    expect(option).to_have_attribute("aria-selected", "true")
    search.press("Enter")
    expect(page.locator("#table thead th")).to_have_count(3)
    assert compared_ids(page) == [BADGE, SQL_BASICS]
    expect(page.locator("#table tr[data-field=skills] td").first.locator("li.shared")).to_have_text(
        ["SQL"]
    )

    # Tab reaches the remove buttons; Enter on one removes that credential.
    remove = page.get_by_role("button", name="Remove SQL Basics")
    for _ in range(6):
        page.keyboard.press("Tab")
        if remove.evaluate("e => e === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the remove button")
    page.keyboard.press("Enter")
    expect(page.locator("#chosen li")).to_have_count(1)
    assert compared_ids(page) == [BADGE]


def test_readable_on_a_phone(page: Page, site: Site) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{site.api}/compare?ids={BADGE},{MSC}")
    expect(page.locator("#table tbody tr").first).to_be_visible()
    # The page itself never scrolls sideways; only the table's own region may.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    font = page.locator("#table td").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font >= 14
