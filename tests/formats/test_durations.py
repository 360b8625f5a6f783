"""Durations in years, months, weeks and days are kept as published and converted to study
hours by one convention (formats.durations): a day of study is 8 hours, not 24."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from credgraph.formats.base import Document
from credgraph.formats.ctdl import parse as parse_ctdl
from credgraph.formats.durations import (
    DAY_HOURS,
    WEEK_HOURS,
    YEAR_HOURS,
    duration_range,
    iso_hours,
    published_duration,
    study_duration,
)
from credgraph.formats.schemaorg import parse as parse_schemaorg
from credgraph.model.records import Credential
from credgraph.model.transparency import transparency_of
from credgraph.model.validation import validate_credential
from credgraph.model.values import Duration
from tests.crawlers.corpus import recorded_document
from tests.crawlers.golden import as_document

FETCHED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("iso", "hours"), [
    ("P4Y", (4 * YEAR_HOURS[0], 4 * YEAR_HOURS[1])),
    ("P2Y", (3000.0, 3600.0)),
    ("P6M", (750.0, 900.0)),
    ("P12W", (12 * WEEK_HOURS, 12 * WEEK_HOURS)),
    ("P5D", (5 * DAY_HOURS, 5 * DAY_HOURS)),
    ("PT160H", (160.0, 160.0)),
    ("PT90M", (1.5, 1.5)),
    ("P1DT2H", (10.0, 10.0)),
    ("P1Y6M", (2250.0, 2700.0)),
    ("p0.5y", (750.0, 900.0)),
])  # fmt: skip
def test_iso_durations_convert_by_the_study_time_convention(
    iso: str, hours: tuple[float, float]
) -> None:
    assert iso_hours(iso) == hours
    assert study_duration(iso) == Duration(iso, iso, *hours)


def test_a_day_of_study_is_not_24_hours() -> None:
    assert iso_hours("P5D") == (40.0, 40.0)


@pytest.mark.parametrize("value", ["P", "PT", "P0D", "4 years", "P4", "PT4", None, 4, "P1DT"])
def test_what_is_not_a_duration_gives_none(value: Any) -> None:
    assert iso_hours(value) is None and study_duration(value) is None


def test_a_ctdl_range_runs_from_the_fewest_to_the_most_hours() -> None:
    assert duration_range("P2Y", "P4Y") == Duration("P2Y/P4Y", "P2Y/P4Y", 3000.0, 7200.0)
    assert duration_range(None, "P12W") == Duration("P12W", "P12W", 480.0, 480.0)
    assert duration_range("nonsense", None) is None


def test_free_text_is_kept_with_the_hours_it_states() -> None:
    assert published_duration("10-12 hours", 10.0, 12.0) == Duration("10-12 hours", None, 10, 12)
    assert published_duration("Weeks") == Duration("Weeks")  # kept, hours unknown
    assert published_duration(25) == Duration("25 hours", None, None, None)
    assert published_duration("  ") is None


def ctdl_graph(duration: dict[str, Any]) -> Credential:
    ctid = "ce-00000000-0000-4000-8000-000000000042"
    graph = {"@context": "https://credreg.net/ctdl/schema/context/json", "@graph": [{
        "@id": f"https://credentialengineregistry.org/resources/{ctid}",
        "@type": "ceterms:BachelorDegree", "ceterms:ctid": ctid,
        "ceterms:name": {"en": "BSc"},
        "ceterms:estimatedDuration": [{"@type": "ceterms:DurationProfile", **duration}],
    }]}  # fmt: skip
    doc = Document(
        url=f"https://credentialengineregistry.org/graph/{ctid}",
        text=json.dumps(graph),
        source_id="t",
        format="ctdl",
        fetched_at=FETCHED,
    )
    (credential,) = parse_ctdl(doc).credentials
    assert validate_credential(credential) == []
    return credential


def test_a_ctdl_degree_publishing_only_p4y_has_a_workload() -> None:
    degree = ctdl_graph({"ceterms:exactDuration": "P4Y"})
    assert degree.duration == Duration("P4Y", "P4Y", 6000.0, 7200.0)
    assert degree.duration_hours == 7200.0
    assert "workload" in transparency_of(degree).present


def test_a_ctdl_minimum_maximum_range_is_one_duration() -> None:
    degree = ctdl_graph({"ceterms:minimumDuration": "P2Y", "ceterms:maximumDuration": "P4Y"})
    assert degree.duration == Duration("P2Y/P4Y", "P2Y/P4Y", 3000.0, 7200.0)
    assert degree.duration_hours == 7200.0


def test_a_real_registry_degree_publishing_p4y_shows_its_workload() -> None:
    recorded = recorded_document("ctdl-bachelordegree-resource-1.json")
    (degree,) = parse_ctdl(as_document(recorded)).credentials
    assert degree.duration == Duration("P4Y", "P4Y", 6000.0, 7200.0)


def test_a_real_schemaorg_program_publishing_p4y_shows_its_workload() -> None:
    recorded = recorded_document("schemaorg-program-example-eg0278.html")
    (program,) = parse_schemaorg(as_document(recorded)).credentials
    assert program.duration == Duration("P4Y", "P4Y", 6000.0, 7200.0)
    assert program.duration_hours == 7200.0


def test_a_real_learning_program_in_months_is_converted() -> None:
    recorded = recorded_document("ctdl-ingest-example-learningprogram-1.json")
    (program,) = parse_ctdl(as_document(recorded)).credentials
    assert program.duration == Duration("P9M", "P9M", 1125.0, 1350.0)


def test_a_duration_out_of_range_is_refused_by_validation() -> None:
    bad = Credential("https://x.example/c", "C", duration=Duration("P1Y", "P1Y", 1800.0, 1500.0))
    assert validate_credential(bad) == ["duration.min_hours 1800.0 is above max_hours 1500.0"]
    huge = Credential("https://x.example/c", "C", duration=Duration("x", None, None, 1e9))
    assert validate_credential(huge) == [
        "duration.max_hours 1000000000.0 is out of range (0 to 100000.0)"
    ]
