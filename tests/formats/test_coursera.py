"""Coursera courses.v1 listings: the real recorded response, our own page, and garbage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credgraph.formats.base import ParseError
from credgraph.formats.coursera import parse, partners_url, workload_hours
from credgraph.model.validation import validate_credential
from credgraph.model.values import CredentialType
from tests.crawlers.corpus import recorded_path
from tests.formats.damage import damaged_bodies
from tests.formats.parsing import checked_parser, documents

OWN = Path(__file__).resolve().parents[1] / "fixtures" / "coursera"
API = "https://api.coursera.org/api/courses.v1"
PAGE = API + "?start=100&limit=5&fields=name,slug,description,workload,partnerIds,domainTypes"
PARTNERS = partners_url(("1142", "13", "77"))


document = documents("coursera", API + "?start=0&limit=100")

parse_text = checked_parser("coursera", API + "?start=0&limit=100")


def own_page() -> str:
    return (OWN / "courses-page.json").read_text(encoding="utf-8")


def test_real_recorded_response() -> None:
    text = recorded_path("coursera-courses-v1-response-1.json").read_text(encoding="utf-8")
    url = (
        API + "?fields=name,slug,description,workload,partnerIds&includes=partnerIds"
        "&start=0&limit=2"
    )
    result = parse_text(text, url)
    digital, gamification = result.credentials
    assert (digital.id, digital.url, digital.name) == (
        "https://www.coursera.org/learn/digitalmedia",
        "https://www.coursera.org/learn/digitalmedia",
        "Creative Programming for Digital Media & Mobile Apps",
    )
    assert (gamification.id, gamification.name) == (
        "https://www.coursera.org/learn/gamification",
        "Gamification",
    )
    assert {c.type for c in result.credentials} == {CredentialType.COURSE}
    assert {c.language for c in result.credentials} == {"en"}
    # "5-10 hours/week" and "4-8 hours/week" are rates, not totals.
    assert {c.duration_hours for c in result.credentials} == {None}
    assert digital.keywords == ("computer science", "mobile and web development")
    assert gamification.keywords == (
        "computer science",
        "design and product",
        "business",
        "marketing",
    )
    assert digital.description is not None and digital.description.startswith(
        "For anyone who would like to apply their technical skills"
    )
    london, penn = result.issuers
    assert (london.id, london.name, london.url) == (
        "https://api.coursera.org/api/partners.v1/26",
        "University of London",
        "http://www.londoninternational.ac.uk/",
    )
    assert (penn.id, penn.name, penn.url) == (
        "https://api.coursera.org/api/partners.v1/6",
        "University of Pennsylvania",
        "http://onlinelearning.upenn.edu/",
    )
    assert digital.issuer == london and gamification.issuer == penn
    assert result.next_pages == [
        API + "?fields=name,slug,description,workload,partnerIds"
        "&includes=partnerIds&start=2&limit=2"
    ]
    assert result.needs == [] and result.warnings == []


def test_own_page_asks_for_missing_partners_and_skips_bad_courses() -> None:
    result = parse_text(own_page(), PAGE)
    ml, data, sql = result.credentials
    assert result.needs == [PARTNERS]
    assert PARTNERS == (
        "https://api.coursera.org/api/partners.v1?ids=1142,13,77"
        "&fields=name,shortName,description,homeLink,links"
    )
    assert result.issuers == [] and all(c.issuer is None for c in result.credentials)
    assert result.next_pages == [PAGE.replace("start=100", "start=105")]

    assert (ml.name, ml.duration_hours, ml.language) == ("Machine Learning Foundations", 42.0, "en")
    assert ml.description == "Supervised & unsupervised learning.\nIncludes labs."
    assert ml.keywords == ("data science", "machine learning", "computer science", "algorithms")
    assert (data.name, data.duration_hours, data.language) == (
        "Datenanalyse: Grundlagen für Einsteiger",
        18.0,
        "de",
    )
    assert data.description == (
        "Daten einlesen, bereinigen und visualisieren – mit Übungen in Python."
    )
    assert data.keywords == ("data science", "data analysis", "Python")  # case-folded once
    assert (sql.id, sql.name, sql.duration_hours, sql.language) == (
        "https://www.coursera.org/learn/introducao-sql",
        "Introdução ao SQL",
        None,
        "pt-BR",
    )

    nameless, duplicate = result.warnings
    assert "record #2" in nameless and "Zz0-nameless" in nameless and "name" in nameless
    assert "duplicate id" in duplicate and "datenanalyse-grundlagen" in duplicate
    assert all(w.startswith(PAGE + ": ") for w in result.warnings)


def test_own_page_second_pass_with_fetched_partners() -> None:
    partners = {
        "elements": [
            {
                "id": "1142",
                "name": "Universität Beispielstadt",
                "shortName": "beispielstadt",
                "links": {"website": "https://www.uni-beispielstadt.example"},
            },
            {
                "id": "13",
                "name": "École d'ingénieurs Exemple",
                "shortName": "exemple",
                "homeLink": "https://www.ecole-exemple.example.fr",
                "description": "<p>Formation d'ingénieurs.</p>",
            },
        ]
    }
    result = parse_text(own_page(), PAGE, linked={PARTNERS: partners})
    assert result.needs == [] and len(result.warnings) == 2
    ml, data, sql = result.credentials
    beispielstadt, exemple = result.issuers
    assert (beispielstadt.id, beispielstadt.name, beispielstadt.url) == (
        "https://api.coursera.org/api/partners.v1/1142",
        "Universität Beispielstadt",
        "https://www.uni-beispielstadt.example",
    )
    assert (exemple.url, exemple.description) == (
        "https://www.ecole-exemple.example.fr",
        "Formation d'ingénieurs.",
    )
    assert exemple.provenance is not None and exemple.provenance.url == PARTNERS
    assert data.issuer == beispielstadt
    assert ml.issuer == exemple and sql.issuer == exemple  # first known of ["13", "77"]


def test_own_page_when_the_partner_fetch_failed() -> None:
    result = parse_text(own_page(), PAGE, linked={PARTNERS: None})
    assert result.needs == [] and result.issuers == []
    assert all(c.issuer is None for c in result.credentials)
    assert "partners 1142, 13, 77 could not be fetched" in result.warnings[-1]


def test_partners_nested_under_linked_partners_v1() -> None:
    body = {
        "elements": [{"id": "x1", "slug": "ux-design", "name": "UX Design", "partnerIds": [7]}],
        "linked": {"partners": {"v1": [{"id": 7, "name": "Design School", "shortName": "design"}]}},
    }
    result = parse_text(json.dumps(body))
    (course,) = result.credentials
    assert course.issuer is not None
    assert (course.issuer.id, course.issuer.name) == (
        "https://api.coursera.org/api/partners.v1/7",
        "Design School",
    )


def test_course_without_slug_keys_on_its_api_record() -> None:
    body = {"elements": [{"id": "v1-228", "name": "Legacy Session Course"}]}
    (course,) = parse_text(json.dumps(body)).credentials
    assert (course.id, course.url) == ("https://api.coursera.org/api/courses.v1/v1-228", None)


@pytest.mark.parametrize(
    "text, hours",
    [
        ("Approx. 31 hours to complete", 31.0),
        ("4-8 hours/week", None),
        ("6 weeks of study, 5-7 hours/week", 42.0),
        ("4 weeks, 90 minutes per week", 6.0),
        ("2 hours a day", None),
        ("6 weeks", None),
        ("PT10H", 10.0),
        (None, None),
        (12, None),
    ],
)
def test_workload_hours(text: Any, hours: float | None) -> None:
    assert workload_hours(text) == hours


@pytest.mark.parametrize(
    "url, paging, expected",
    [
        (API + "?start=0&limit=100", {"next": "100"}, [API + "?start=100&limit=100"]),
        (
            API + "?limit=100&fields=name,slug",
            {"next": 100, "total": 500},
            [API + "?limit=100&fields=name,slug&start=100"],
        ),
        (API, {"next": "50"}, [API + "?start=50"]),
        (API + "?start=100&limit=100", {"total": 150}, []),
    ],
)
def test_next_page_sets_start(url: str, paging: dict[str, Any], expected: list[str]) -> None:
    body = {"elements": [], "paging": paging}
    assert parse_text(json.dumps(body), url).next_pages == expected


@pytest.mark.parametrize("paging", [{"next": "100"}, {"next": "later"}, {"next": True}])
def test_next_page_that_cannot_be_followed_is_a_warning(paging: dict[str, Any]) -> None:
    body = {"elements": [], "paging": paging}
    result = parse_text(json.dumps(body), API + "?start=100&limit=100")
    assert result.next_pages == [] and len(result.warnings) == 1


@pytest.mark.parametrize("depth", [50, 900, 3000])
def test_deep_nesting_inside_courses_never_escapes_as_another_exception(depth: int) -> None:
    deep = "[" * depth + '"x"' + "]" * depth
    text = '{"elements": [{"slug": "s", "name": ' + deep + ', "domainTypes": ' + deep + "}]}"
    try:
        result = parse(document(text))
    except ParseError as error:
        assert API in str(error)
    else:
        assert len(result.credentials) + len(result.warnings) == 1


def test_courses_of_the_wrong_shape_become_warnings() -> None:
    body = {
        "elements": [
            7,
            None,
            {"name": {"en": "Only a name"}, "slug": "bad slug!"},
            {
                "name": "Bad fields",
                "slug": "ok-slug",
                "workload": ["x"],
                "primaryLanguages": 5,
                "partnerIds": "13",
                "domainTypes": "x",
            },
        ],
        "paging": {"next": None},
        "linked": {"partners.v1": "nope"},
    }
    result = parse_text(json.dumps(body))
    (course,) = result.credentials
    assert (course.name, course.duration_hours, course.language) == ("Bad fields", None, None)
    assert result.needs == [partners_url(("13",))]
    assert len(result.warnings) == 3


# -- random damage ----------------------------------------------------------------------------
SAMPLES = [recorded_path("coursera-courses-v1-response-1.json"), OWN / "courses-page.json"]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_randomly_damaged_samples_give_valid_records_or_a_parse_error(path: Path) -> None:
    for text in damaged_bodies(path):
        try:
            result = parse(document(text))
        except ParseError:
            continue
        for credential in result.credentials:
            assert validate_credential(credential) == []


# -- courses under `linked` -------------------------------------------------------------------------
MEMBERSHIPS = API.replace("courses.v1", "memberships.v1") + "?includes=courseId,courses.v1&q=me"


def test_courses_under_linked_are_read_when_elements_hold_none() -> None:
    text = recorded_path("coursera-memberships-linked-courses-1.json").read_text()
    result = parse_text(text, MEMBERSHIPS)
    assert [c.id for c in result.credentials] == [
        "https://www.coursera.org/learn/computational-neurosciencecompneuro",
        "https://www.coursera.org/learn/nlp",
        "https://www.coursera.org/learn/probabilistic-graphical-models",
    ]
    assert result.warnings == []


def test_a_specialization_is_a_certificate_made_of_its_linked_courses() -> None:
    body = {
        "elements": [{"id": "sp1", "slug": "deep-learning", "name": "Deep Learning",
                      "courseIds": ["a", "b", "gone"]}],
        "linked": {"courses.v1": [{"id": "a", "slug": "neural-networks", "name": "Neural Networks"},
                                  {"id": "b", "slug": "cnn", "name": "Convolutional Networks"}]},
    }  # fmt: skip
    result = parse_text(json.dumps(body), API.replace("courses.v1", "onDemandSpecializations.v1"))
    spec, *courses = result.credentials
    assert (spec.id, spec.type) == (
        "https://www.coursera.org/specializations/deep-learning",
        CredentialType.CERTIFICATE,
    )
    assert (
        spec.has_part
        == tuple(c.id for c in courses)
        == ("https://www.coursera.org/learn/neural-networks", "https://www.coursera.org/learn/cnn")
    )


def test_records_that_are_not_courses_are_a_warning_never_silence() -> None:
    body = {"elements": [{"id": "m1", "courseId": "a", "role": "LEARNER"}], "linked": {}}
    result = parse_text(json.dumps(body), MEMBERSHIPS)
    assert result.credentials == []
    assert len(result.warnings) == 2 and "not courses" in result.warnings[0]
    assert "no courses in this response" in result.warnings[1]
