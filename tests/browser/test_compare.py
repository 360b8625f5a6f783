"""The compare page in a real browser: table, the skills x credentials matrix with partial
overlaps (three and four credentials), pairwise overlap, charts, search and suggestions, the
four-credential limit, URL, CSV, keyboard, phone."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote, unquote_plus, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import COMMA_ID, Site

pytestmark = pytest.mark.slow  # a server process and Chromium

BADGE = "https://acme.example/badges/data-analyst"
MSC = "ce-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
SQL_BASICS = "https://acme.example/badges/sql-basics"
ETHICS_AI = "https://nobody.example/c/ethics"
CLOUD = "https://acme.example/badges/cloud"
SQL = "http://data.europa.eu/esco/skill/sql"
PY = "http://data.europa.eu/esco/skill/python"
STATS = "label:statistics"
ETHICS = "label:data ethics"


def compared_ids(page: Page) -> list[str]:
    """The ids in the page's URL: separated by plain commas, each percent-encoded."""
    raw = dict(p.partition("=")[::2] for p in urlsplit(page.url).query.split("&"))
    return [unquote_plus(i) for i in raw.get("ids", "").split(",")]


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
    # Human labels: the type and the missing fields are not enum names or field keys.
    expect(table.locator("tr[data-field=type] td")).to_have_text(["Badge", "Degree"])
    missing = table.locator("tr[data-field=transparency] td").first
    expect(missing).to_contain_text("Validity")
    assert "_" not in missing.inner_text()
    matrix = page.locator("#skills")
    shared = matrix.locator("tbody[data-group=all] tr[data-skill] th .skill-name")
    expect(shared).to_have_text(["Python (computer programming)", "SQL", "Statistics"])
    expect(matrix.locator("tbody[data-group=one] tr[data-skill] th .skill-name")).to_have_text(
        ["Data ethics"]
    )
    # Shared skills are drawn differently from unique ones (the highlight).
    unique = matrix.locator("tbody[data-group=one] .skill-name").first
    shared_bg = shared.first.evaluate("e => getComputedStyle(e).backgroundColor")
    unique_bg = unique.evaluate("e => getComputedStyle(e).backgroundColor")
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
    assert "Validity" in rows["Missing fields"][0]
    assert rows["Skill: Data ethics"] == ["", "yes"]


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
    expect(page.locator("#skills tbody[data-group=all] .skill-name")).to_have_text(["SQL"])

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


def matrix_row(page: Page, skill_id: str) -> list[str]:
    """Which compared credentials have `skill_id`: "has" or "lacks", in column order."""
    cells = page.locator(f'#skills tr[data-skill="{skill_id}"] td')
    return [c.get_attribute("class") or "" for c in cells.all()]


def test_three_credentials_show_skills_shared_by_some_but_not_all(page: Page, site: Site) -> None:
    page.goto(f"{site.api}/compare?ids={BADGE},{MSC},{ETHICS_AI}")
    expect(page.locator("#table thead th")).to_have_count(4)
    matrix = page.locator("#skills")
    # Nothing is shared by all three; the skills two of them share are shown, not hidden.
    expect(matrix.locator("tbody[data-group=all]")).to_have_count(0)
    expect(matrix.locator("tbody[data-group=some] .group-row")).to_have_text(["Shared by 2 of 3"])
    expect(matrix.locator("tbody[data-group=some] tr[data-skill]")).to_have_count(4)
    assert matrix_row(page, SQL) == ["has", "has", "lacks"]
    assert matrix_row(page, ETHICS) == ["lacks", "has", "has"]
    assert matrix_row(page, STATS) == ["has", "has", "lacks"]
    # Framework links: an ESCO skill links to its entry, a free-text one says so.
    link = matrix.locator(f'tr[data-skill="{SQL}"] a.framework')
    expect(link).to_have_text("ESCO")
    expect(link).to_have_attribute("href", SQL)
    expect(matrix.locator(f'tr[data-skill="{ETHICS}"] .framework')).to_have_text("free text")
    # Pairwise overlap from the API: badge and MSc share 3 of 4 skills; badge and ethics none.
    grid = page.locator("#similarity")
    expect(
        grid.locator(f'tr[data-row="{BADGE}"] td[data-col="{MSC}"] .overlap-value')
    ).to_have_text("75%")
    expect(
        grid.locator(f'tr[data-row="{MSC}"] td[data-col="{BADGE}"] .overlap-value')
    ).to_have_text("75%")
    expect(
        grid.locator(f'tr[data-row="{BADGE}"] td[data-col="{ETHICS_AI}"] .overlap-value')
    ).to_have_text("0%")
    # The chart: one bar per credential, the score in words for screen readers.
    bars = page.locator("#transparency-chart .bar")
    expect(bars).to_have_count(3)
    expect(bars.first).to_have_attribute("aria-label", "Data Analyst Badge: 91 / 100")
    widths = [b.evaluate("e => e.querySelector('.bar-fill').getBoundingClientRect().width")
              for b in bars.all()]  # fmt: skip
    assert widths[0] > widths[2] > 0  # 91 against Ethics in AI's lower score
    # None of these reports an outcome: no outcomes chart, and the page still works.
    expect(page.locator("#outcomes-chart")).to_be_hidden()


def test_four_credentials_count_each_skill_across_all_of_them(page: Page, site: Site) -> None:
    page.goto(f"{site.api}/compare?ids={BADGE},{MSC},{ETHICS_AI},{SQL_BASICS}")
    expect(page.locator("#table thead th")).to_have_count(5)
    matrix = page.locator("#skills")
    groups = matrix.locator(".group-row")
    expect(groups).to_have_text(["Shared by 3 of 4", "Shared by 2 of 4"])
    assert matrix_row(page, SQL) == ["has", "has", "lacks", "has"]
    assert matrix_row(page, PY) == ["has", "has", "lacks", "lacks"]
    expect(matrix.locator(f'tr[data-skill="{SQL}"]')).to_have_attribute("data-count", "3")
    expect(page.locator("#similarity tbody tr")).to_have_count(4)
    expect(page.locator("#transparency-chart .bar")).to_have_count(4)
    expect(page.locator("#table tr[data-field=type] td")).to_have_text(
        ["Badge", "Degree", "Course", "Micro-credential"]
    )
    # A fifth credential is refused where people look, not silently dropped.
    search = page.get_by_label("Add a credential (up to four)")
    search.press_sequentially("Cloud", delay=20)
    page.get_by_role("option", name="Cloud Practitioner").click()
    expect(page.get_by_role("alert")).to_contain_text("At most four credentials")
    expect(page.get_by_role("alert")).to_contain_text("Cloud Practitioner")
    expect(page.locator("#chosen li")).to_have_count(4)


def test_a_fifth_id_in_the_url_is_refused_visibly(page: Page, site: Site) -> None:
    page.goto(f"{site.api}/compare?ids={BADGE},{MSC},{ETHICS_AI},{SQL_BASICS},{CLOUD}")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_have_text(f"At most four credentials can be compared: left out {CLOUD}.")
    expect(page.locator("#chosen li")).to_have_count(4)
    assert CLOUD not in compared_ids(page)


def test_compare_without_ids_offers_search_and_suggestions(page: Page, site: Site) -> None:
    page.goto(f"{site.api}/compare")
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_be_visible()
    buttons = suggestions.locator("button.suggestion")
    expect(buttons).to_have_count(6)
    expect(page.get_by_label("Add a credential (up to four)")).to_be_visible()
    first = buttons.first
    name = first.locator("span").first.inner_text()
    first.click()
    expect(page.locator("#chosen li")).to_have_count(1)
    expect(page.locator("#chosen li span")).to_have_text([name])
    expect(suggestions).to_be_hidden()


def test_an_api_without_the_evidence_fields_still_compares(page: Page, site: Site) -> None:
    """The page asks for outcomes, quality and stacking only where the schema has them: given
    an API whose Credential lacks them (an older server), it leaves them out of its query and
    shows the rest. (The evidence itself is tested on the demo graph: test_compare_demo.py.)"""
    asked: list[str] = []

    def without_evidence(route: Route) -> None:
        query = json.loads(route.request.post_data or "{}").get("query", "")
        if "__type" in query:
            route.fulfill(json={"data": {"__type": {"fields": [{"name": "id"}, {"name": "name"}]}}})
            return
        if "compareCredentials" in query:
            asked.append(query)
        route.continue_()

    page.route(f"{site.api}/graphql", without_evidence)
    page.goto(f"{site.api}/compare?ids={BADGE},{MSC}")
    expect(page.locator("#table thead th")).to_have_count(3)
    assert asked and "outcomes" not in asked[0] and "quality" not in asked[0]
    assert "preparesFor" not in asked[0]
    for section in (
        "#outcomes-section",
        "#quality-section",
        "#stacking-section",
        "#outcomes-chart",
    ):
        expect(page.locator(section)).to_be_hidden()


def test_credentials_without_evidence_say_so(page: Page, site: Site) -> None:
    page.goto(f"{site.api}/compare?ids={BADGE},{MSC}")
    expect(page.locator("#outcomes")).to_contain_text("None of these credentials reports outcomes.")
    expect(page.locator("#outcomes-chart")).to_be_hidden()
    signals = page.locator("#quality tr[data-signal] th")
    expect(signals.first).to_have_text("Accredited")
    expect(page.locator('#stacking tr[data-link="preparesFor"] td')).to_have_text(
        ["none stated", "none stated"]
    )


def test_a_late_answer_for_an_earlier_set_is_not_shown(page: Page, site: Site) -> None:
    """The answer for the first credential is held back (a slow link) until a second one has
    been added and compared: arriving last, it must not replace the comparison of two."""
    held: list[Route] = []

    def hold_the_first_comparison(route: Route) -> None:
        if "ComparePage" in (route.request.post_data or "") and not held:
            held.append(route)
            return
        route.continue_()

    page.route(f"{site.api}/graphql", hold_the_first_comparison)
    page.goto(f"{site.api}/compare?ids={BADGE}")
    search = page.get_by_label("Add a credential (up to four)")
    search.press_sequentially("SQL Bas", delay=20)
    expect(page.get_by_role("option", name="SQL Basics")).to_have_attribute("aria-selected", "true")
    search.press("Enter")
    expect(page.locator("#table thead th")).to_have_count(3)
    assert len(held) == 1
    with page.expect_response(lambda r: r.request == held[0].request):
        held[0].continue_()
    page.wait_for_timeout(300)  # the late answer read and handled
    expect(page.locator("#table thead th")).to_have_text(
        ["Field", "Data Analyst Badge", "SQL Basics"]
    )
    expect(page.locator("#chosen li span")).to_have_text(["Data Analyst Badge", "SQL Basics"])
    assert compared_ids(page) == [BADGE, SQL_BASICS]


def test_an_unknown_id_leaves_the_comparison_and_frees_its_place(page: Page, site: Site) -> None:
    """A shared link naming a credential the graph no longer has: the page says so, and the
    id leaves the URL and the four places, so a fourth credential can still be added."""
    page.goto(f"{site.api}/compare?ids={BADGE},no-such-credential,{MSC},{ETHICS_AI}")
    expect(page.locator("#status")).to_contain_text("Not found")
    expect(page.locator("#status")).to_contain_text("no-such-credential")
    expect(page.locator("#chosen li span")).to_have_text(
        ["Data Analyst Badge", "MSc Datenwissenschaft", "Ethics in AI"]
    )
    assert compared_ids(page) == [BADGE, MSC, ETHICS_AI]
    search = page.get_by_label("Add a credential (up to four)")
    search.press_sequentially("SQL Bas", delay=20)
    expect(page.get_by_role("option", name="SQL Basics")).to_have_attribute("aria-selected", "true")
    search.press("Enter")
    expect(page.locator("#table thead th")).to_have_count(5)
    expect(page.locator("#refused")).to_be_hidden()
    assert compared_ids(page) == [BADGE, MSC, ETHICS_AI, SQL_BASICS]


def test_an_id_holding_a_comma_round_trips_through_the_url(page: Page, site: Site) -> None:
    """Each id is percent-encoded in the comma-separated list: one holding a comma is one
    credential, on arrival, after the page rewrites its URL, on reload, and picked from the
    search; links written with plain ids and commas still work."""
    page.goto(f"{site.api}/compare?ids={quote(COMMA_ID, safe='')},{BADGE}")
    expect(page.locator("#chosen li span")).to_have_text(["Comma Course", "Data Analyst Badge"])
    expect(page.locator("#table thead th")).to_have_count(3)
    assert compared_ids(page) == [COMMA_ID, BADGE]
    page.reload()
    expect(page.locator("#table thead th")).to_have_text(
        ["Field", "Comma Course", "Data Analyst Badge"]
    )
    page.goto(f"{site.api}/compare?ids={MSC}")
    search = page.get_by_label("Add a credential (up to four)")
    search.press_sequentially("Comma", delay=20)
    expect(page.get_by_role("option", name="Comma Course")).to_have_attribute(
        "aria-selected", "true"
    )
    search.press("Enter")
    expect(page.locator("#table thead th")).to_have_count(3)
    page.reload()
    expect(page.locator("#chosen li span")).to_have_text(["MSc Datenwissenschaft", "Comma Course"])
    assert compared_ids(page) == [MSC, COMMA_ID]
