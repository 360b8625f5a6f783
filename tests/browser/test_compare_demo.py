"""The compare page on the demo graph (`credgraph demo`): the outcomes its CTDL sample
reports, charted where several credentials report the same measure; the quality evidence;
what each credential stacks into. Human labels throughout, never enum names."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.api.test_http_uvicorn import free_port
from tests.browser.servers import serve_api

# The demo CTDL catalog (src/credgraph/demo/catalogs/ctdl/graph.json): a micro-credential that
# prepares for the certificate, which grants 12 credits toward the master's degree.
MICRO = "ce-7b3e2f10-5a6c-4d8e-9f01-2a3b4c5d6e03"
CERT = "ce-7b3e2f10-5a6c-4d8e-9f01-2a3b4c5d6e01"
MASTER = "ce-7b3e2f10-5a6c-4d8e-9f01-2a3b4c5d6e02"
CERT_NAME = "Graduate Certificate in Data Science"
MASTER_NAME = "Master of Science in Data Analytics"

pytestmark = pytest.mark.slow  # a real `credgraph demo` crawl, then a server


@pytest.fixture(scope="module")
def demo_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = f"sqlite:///{tmp_path_factory.mktemp('demo-compare') / 'demo.db'}"
    loaded = subprocess.run(
        [str(Path(sys.executable).with_name("credgraph")), "demo", "--no-serve", "--store", store],
        capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    port = free_port()
    process = serve_api(
        store, port, {"CREDGRAPH_RATE_LIMIT_PER_IP": "0", "CREDGRAPH_ACCESS_LOG": "off"}
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.kill()
        process.communicate()


def test_outcomes_are_charted_where_several_report_the_same_measure(
    page: Page, demo_api: str
) -> None:
    page.goto(f"{demo_api}/compare?ids={MICRO},{CERT},{MASTER}")
    outcomes = page.locator("#outcomes-section")
    expect(outcomes).to_be_visible()
    earnings = outcomes.locator('tr[data-kind="MEDIAN_EARNINGS"]')
    expect(earnings.locator("th")).to_have_text("Median earnings")
    expect(earnings.locator("td")).to_have_text([
        "not reported",
        "78,500 USD · 12 months after award, as of 2025-06-30 · source",
        "92,000 USD · 12 months after award, as of 2025-06-30 · source",
    ])  # fmt: skip
    expect(earnings.locator("td a.source").first).to_have_attribute(
        "href", "https://lakeside-state.example.edu/institutional-research/outcomes-2024"
    )
    expect(outcomes.locator('tr[data-kind="AWARDED"] td .figure')).to_have_text(
        ["540 holders", "212 holders", "143 holders"]
    )
    chart = page.locator("#outcomes-chart")
    expect(chart).to_be_visible()
    # The micro-credential's count carries no months after award: not the same measure as the
    # others', so it is in the table but not in the chart.
    expect(chart.locator(".outcome-kind h3")).to_have_text([
        "Median earnings (USD, 12 months after award)",
        "Employment rate (%, 12 months after award)",
        "Number awarded (holders, 12 months after award)",
    ])  # fmt: skip
    pay = chart.locator('.outcome-kind[data-kind="MEDIAN_EARNINGS"] .bar')
    expect(pay).to_have_count(2)
    expect(pay.nth(0)).to_have_attribute("aria-label", f"{CERT_NAME}: 78,500 USD")
    expect(pay.nth(1)).to_have_attribute("aria-label", f"{MASTER_NAME}: 92,000 USD")
    widths = [b.evaluate("e => e.querySelector('.bar-fill').getBoundingClientRect().width")
              for b in pay.all()]  # fmt: skip
    assert 0 < widths[0] < widths[1]
    assert "MEDIAN_EARNINGS" not in outcomes.inner_text() + chart.inner_text()


def test_quality_shows_bodies_assessment_reporters_and_signals(page: Page, demo_api: str) -> None:
    page.goto(f"{demo_api}/compare?ids={CERT},{MASTER}")
    quality = page.locator("#quality")
    expect(page.locator("#quality-section")).to_be_visible()
    assurance = quality.locator('tr[data-evidence="assurance"] td')
    expect(assurance.nth(0)).to_have_text(
        "Recognized by Midwest Data Employers Council (Quality-assurance body)"
    )
    expect(assurance.nth(1).locator("li")).to_have_text([
        "Accredited by Great Lakes Commission on Higher Education (Quality-assurance body)",
        "Recognized by Midwest Data Employers Council (Quality-assurance body)",
    ])  # fmt: skip
    expect(quality.locator('tr[data-evidence="assessment"] td')).to_have_text(
        ["Exam, Artifact", "Exam, Artifact"]
    )
    expect(quality.locator('tr[data-evidence="outcomesReportedBy"] td a').first).to_have_text(
        "https://lakeside-state.example.edu/institutional-research/outcomes-2024"
    )
    accredited = quality.locator('tr[data-signal="accredited"]')
    expect(accredited.locator("th")).to_have_text("Accredited")
    assert [c.get_attribute("class") for c in accredited.locator("td").all()] == ["lacks", "has"]
    expect(accredited.locator("td").nth(1)).to_contain_text(
        "Great Lakes Commission on Higher Education"
    )
    expect(quality.locator('tr[data-signal="earnings reported"] th')).to_have_text(
        "Earnings reported"
    )
    text = quality.inner_text()
    assert "ACCREDITED" not in text and "QACredentialOrganization" not in text


def test_stacks_into_shows_links_credit_and_pathways(page: Page, demo_api: str) -> None:
    page.goto(f"{demo_api}/compare?ids={MICRO},{CERT},{MASTER}")
    stacking = page.locator("#stacking")
    expect(page.locator("#stacking-section")).to_be_visible()
    expect(stacking.locator('tr[data-link="preparesFor"] th')).to_have_text("Prepares for")
    expect(stacking.locator('tr[data-link="preparesFor"] td')).to_have_text(
        [CERT_NAME, "none stated", "none stated"]
    )
    standing = stacking.locator('tr[data-link="advancedStandingFor"] td')
    expect(standing.nth(1)).to_contain_text(f"{MASTER_NAME} · 12 credit hours")
    expect(standing.nth(1)).to_contain_text("counted toward the degree")
    expect(stacking.locator('tr[data-link="publishedPathways"] td')).to_have_text(
        ["Lakeside Data Science Pathway"] * 3
    )
    # A target opens the comparison of the two.
    stacking.locator('tr[data-link="advancedStandingFor"] td a').first.click()
    expect(page.locator("#table thead th")).to_have_text(["Field", CERT_NAME, MASTER_NAME])


def test_the_csv_holds_the_evidence(page: Page, demo_api: str) -> None:
    page.goto(f"{demo_api}/compare?ids={CERT},{MASTER}")
    expect(page.locator("#stacking-section")).to_be_visible()
    with page.expect_download() as info:
        page.locator("#download").click()
    with open(info.value.path(), encoding="utf-8") as handle:
        rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(handle.read()))}
    assert rows["Advanced standing toward"] == [f"{MASTER_NAME} (12 credit hours)", ""]
    assert rows["Outcomes"][0].startswith(
        "Median earnings: 78,500 USD (12 months after award, as of 2025-06-30)"
    )
    assert rows["Quality assurance"][1] == (
        "Accredited by Great Lakes Commission on Higher "
        "Education; Recognized by Midwest Data Employers Council"
    )


def test_the_evidence_reads_on_a_phone(page: Page, demo_api: str) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{demo_api}/compare?ids={MICRO},{CERT},{MASTER}")
    expect(page.locator("#outcomes-chart .bar").first).to_be_visible()
    expect(page.locator("#stacking-section")).to_be_visible()
    # Only the tables' own regions scroll sideways, never the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
