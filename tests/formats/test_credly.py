"""Credly badge-template listings: the real API page, our own public-site page, and garbage."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from credgraph.formats.base import ParseError
from credgraph.formats.credly import parse
from credgraph.model.records import Credential
from credgraph.model.validation import validate_credential
from credgraph.model.values import CredentialType, Money, SkillRelation
from tests.crawlers.corpus import recorded_path
from tests.formats.damage import damaged_bodies
from tests.formats.parsing import checked_parser, documents

OWN = Path(__file__).resolve().parents[1] / "fixtures" / "credly"
STEM_API = "https://api.credly.com/api/v1/organizations/e52b9e79-9ddb-4110-9883-ae2c44a7440e"
NORDLICHT = (
    "https://www.credly.com/organizations/nordlicht-akademie/badges?page=1&sort=most_popular"
)


document = documents("credly", "https://www.credly.com/organizations/x/badges")

parse_text = checked_parser("credly", "https://www.credly.com/organizations/x/badges")


def template(**fields: Any) -> Credential | None:
    body = {
        "data": [
            {
                "id": "0b1e7c2a-3f4d-4e5f-8a9b-1c2d3e4f5a6b",
                "name": "T",
                "url": "https://www.credly.com/org/o/badge/t",
                **fields,
            }
        ]
    }
    result = parse_text(json.dumps(body))
    return result.credentials[0] if result.credentials else None


def test_real_api_page_of_stem_learning_templates() -> None:
    text = recorded_path("credly-org-badge-templates-api-1.json").read_text(encoding="utf-8")
    result = parse_text(text, STEM_API + "/badge_templates")
    assert len(result.credentials) == 49  # 50 templates, one a draft
    assert result.next_pages == [STEM_API + "/badge_templates?page=2"]
    assert result.needs == [] and result.issuers == []
    (draft,) = result.warnings
    assert "record #0" in draft and "Test Badge Name" in draft and "draft" in draft

    assert Counter(c.type for c in result.credentials) == {CredentialType.BADGE: 49}
    assert {c.issuer for c in result.credentials if c.issuer} == {result.credentials[0].issuer}
    stem = result.credentials[0].issuer
    assert stem is not None
    assert (stem.id, stem.name, stem.url) == (
        STEM_API,
        "STEM Learning",
        "https://www.credly.com/org/stem-learning",
    )
    assert all(
        c.id == c.url and c.url.startswith("https://www.credly.com/org/stem-learning/badge/")
        for c in result.credentials
        if c.url
    )
    assert len({c.id for c in result.credentials}) == 49
    assert Counter(link.skill.id for c in result.credentials for link in c.skills) == {
        "label:stem education": 48,
        "label:stem ambassador": 1,
    }
    assert all(
        link.skill.framework is None and link.relation is SkillRelation.TEACHES
        for c in result.credentials
        for link in c.skills
    )
    assert {c.duration_hours for c in result.credentials} == {None}
    assert {c.cost for c in result.credentials} == {None}
    assert {c.level for c in result.credentials} == {None}

    first = result.credentials[0]
    assert first.id == (
        "https://www.credly.com/org/stem-learning/badge/developing-stem-in-the-secondary-curriculum"
    )
    assert first.name == "Developing STEM in the secondary curriculum"
    assert first.description is not None
    assert first.description.startswith("Learn how to apply science to real life STEM contexts")
    assert first.criteria == (
        "Participant: This STEM Certificate was issued for attendance at professional "
        "development delivered by the STEM Learning Network in England, for a total of 30 CPD "
        "hours"
    )
    ambassador = next(c for c in result.credentials if c.skills[0].skill.name == "STEM Ambassador")
    assert ambassador.name == "STEM Ambassador 15 hours of engagement 2018/2019"
    assert ambassador.criteria is not None and ambassador.criteria.startswith("Volunteer: ")
    assert result.credentials[-1].name == "Hot and cold metal forming"


def test_own_public_listing_page() -> None:
    text = (OWN / "org-badges-page-1.json").read_text(encoding="utf-8")
    result = parse_text(text, NORDLICHT)
    assert result.next_pages == [
        "https://www.credly.com/organizations/nordlicht-akademie/badges?page=2&sort=most_popular"
    ]
    git, mentoring, kubernetes = result.credentials

    assert git.id == git.url == "https://www.credly.com/org/nordlicht-akademie/badge/git-essentials"
    assert (git.type, git.level, git.duration_hours, git.cost) == (
        CredentialType.BADGE,
        "Foundational",
        1.5,
        None,
    )
    assert git.description == "Version control basics: commits, branches & merges."
    assert [link.skill.id for link in git.skills] == ["label:git", "label:version control"]
    assert git.criteria == (
        "Course: Git Essentials (self-paced) (https://nordlicht.example.de/kurse/git)"
    )

    assert (mentoring.type, mentoring.duration_hours, mentoring.cost, mentoring.issuer) == (
        CredentialType.BADGE,
        None,
        None,
        None,
    )

    assert kubernetes.name == "Kubernetes-Administration – Stufe 2"
    assert kubernetes.type is CredentialType.CERTIFICATION
    assert kubernetes.description == (
        "Betrieb von Kubernetes-Clustern in Produktion (Neuauflage 2025)."
    )
    assert (kubernetes.level, kubernetes.duration_hours, kubernetes.cost) == (
        "Advanced",
        45.0,
        Money(420.0, "EUR"),
    )
    assert [link.skill.name for link in kubernetes.skills] == [
        "Kubernetes",
        "Container-Orchestrierung",
        "Helm",
    ]
    (occupation,) = (link.occupation for link in kubernetes.occupations)
    assert (occupation.id, occupation.name, occupation.framework) == (
        "onet:15-1244.00",
        "Network and Computer Systems Administrators",
        "O*NET-SOC",
    )
    assert kubernetes.criteria == (
        "Assessment: Praktische Prüfung (4 Stunden) (https://nordlicht.example.de/pruefung/k8s-2)"
    )
    assert kubernetes.issuer is not None
    assert (kubernetes.issuer.id, kubernetes.issuer.name, kubernetes.issuer.url) == (
        "https://www.credly.com/organizations/nordlicht-akademie",
        "Nordlicht Akademie",
        "https://www.credly.com/org/nordlicht-akademie",
    )

    nameless, archived, duplicate, not_object = result.warnings
    assert "record #3" in nameless and "3e4f5a6b" in nameless and "name" in nameless
    assert "Alte Zertifizierung" in archived and "archived" in archived
    assert "duplicate id" in duplicate and "kubernetes-administration-stufe-2" in duplicate
    assert "record #6" in not_object
    assert all(w.startswith(NORDLICHT + ": ") for w in result.warnings)


def test_first_version_of_a_duplicate_is_fully_read() -> None:
    data = json.loads((OWN / "org-badges-page-1.json").read_text(encoding="utf-8"))
    data["data"] = data["data"][:1]
    (kubernetes,) = parse_text(json.dumps(data), NORDLICHT).credentials
    assert kubernetes.description == (
        "Betrieb von Kubernetes-Clustern in Produktion:\nUpgrades & Backups\nRBAC"
    )
    assert (kubernetes.language, kubernetes.duration_hours, kubernetes.cost) == (
        "de",
        40.0,
        Money(395.0, "EUR"),
    )
    assert [link.skill.id for link in kubernetes.skills] == [
        "label:kubernetes",
        "label:container-orchestrierung",
    ]


@pytest.mark.parametrize(
    "amount, unit, hours",
    [
        (40, "hours", 40.0),
        ("90", "minutes", 1.5),
        (2.5, "Hours", 2.5),
        (6, "weeks", None),
        (3, "months", None),
        (2, "days", None),
        ("10 hours", None, 10.0),
        (5, None, None),
        ("Weeks", None, None),
        ("soon", "hours", None),
        (-3, "hours", None),
    ],
)
def test_time_to_earn(amount: Any, unit: Any, hours: float | None) -> None:
    credential = template(time_to_earn=amount, time_to_earn_unit=unit)
    assert credential is not None and credential.duration_hours == hours


@pytest.mark.parametrize(
    "category, kind",
    [
        ("Certification", CredentialType.CERTIFICATION),
        ("Learning", CredentialType.BADGE),
        ("Validation", CredentialType.BADGE),
        ("Experience", CredentialType.BADGE),
        (None, CredentialType.BADGE),
        ("Certificate", CredentialType.CERTIFICATE),
        ("Degree", CredentialType.DEGREE),
    ],
)
def test_type_category(category: str | None, kind: CredentialType) -> None:
    credential = template(type_category=category)
    assert credential is not None and credential.type is kind


@pytest.mark.parametrize(
    "cost, currency, expected",
    [
        (99, "usd", Money(99.0, "USD")),
        ("$1,500.00", None, Money(1500.0, "USD")),
        ("Free", None, None),
        ("Paid", "USD", None),
        (100, None, None),
    ],
)
def test_cost(cost: Any, currency: Any, expected: Money | None) -> None:
    credential = template(cost=cost, currency=currency)
    assert credential is not None and credential.cost == expected


def test_required_templates_become_requirements() -> None:
    credential = template(
        required_badge_templates=[
            {"id": "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a", "name": "Basics"},
            {"url": "https://www.credly.com/org/o/badge/basics-2"},
            "8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b",
            "not-a-uuid",
        ]
    )
    assert credential is not None
    assert credential.requires == (
        "urn:uuid:7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
        "https://www.credly.com/org/o/badge/basics-2",
        "urn:uuid:8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b",
    )


def test_template_without_url_or_slug_keys_on_its_uuid() -> None:
    body = {"data": [{"id": "5A6B7C8D-9E0F-4A1B-8C2D-3E4F5A6B7C8D", "name": "Ohne Seite"}]}
    (credential,) = parse_text(json.dumps(body)).credentials
    assert credential.id == "urn:uuid:5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"
    assert credential.url is None


def test_owner_of_the_api_listing_is_the_issuer() -> None:
    credential = template(
        owner={
            "type": "Organization",
            "id": "e52b",
            "name": "STEM Learning",
            "vanity_slug": "stem-learning",
        },
        url=None,
        vanity_slug="robotics-101",
    )
    assert credential is not None and credential.issuer is not None
    assert credential.issuer.url == "https://www.credly.com/org/stem-learning"
    assert credential.url == "https://www.credly.com/org/stem-learning/badge/robotics-101"


@pytest.mark.parametrize("depth", [50, 900, 3000])
def test_deep_nesting_inside_templates_never_escapes_as_another_exception(depth: int) -> None:
    deep = "[" * depth + '"x"' + "]" * depth
    text = '{"data": [{"id": "a", "name": ' + deep + ', "skills": ' + deep + "}]}"
    try:
        result = parse(document(text))
    except ParseError as error:
        assert "https://www.credly.com/organizations/x/badges" in str(error)
    else:
        assert result.warnings


def test_templates_of_the_wrong_shape_become_warnings() -> None:
    body = {
        "data": [
            [],
            3,
            {
                "name": ["a", "b"],
                "skills": 5,
                "badge_template_activities": "x",
                "time_to_earn": {"h": 1},
                "cost": [1],
                "issuer": "acme",
            },
        ],
        "metadata": {"next_page_url": 17},
    }
    result = parse_text(json.dumps(body))
    assert result.credentials == [] and result.next_pages == []
    assert len(result.warnings) == 3


# -- random damage ----------------------------------------------------------------------------
SAMPLES = [recorded_path("credly-org-badge-templates-api-1.json"), OWN / "org-badges-page-1.json"]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_randomly_damaged_samples_give_valid_records_or_a_parse_error(path: Path) -> None:
    for text in damaged_bodies(path):
        try:
            result = parse(document(text))
        except ParseError:
            continue
        for credential in result.credentials:
            assert validate_credential(credential) == []


# -- a person's earned badges ---------------------------------------------------------------------
def test_an_earned_badge_listing_catalogues_each_badge_template() -> None:
    url = "https://www.credly.com/users/henry-post/badges?sort=most_popular&page=1"
    result = parse_text(recorded_path("credly-user-earned-badges-1.json").read_text(), url)
    assert result.warnings == []
    names = [c.name for c in result.credentials]
    assert len(names) == 5 and "Software Security Practitioner - Defending Java" in names
    java = next(c for c in result.credentials if c.name.endswith("Defending Java"))
    assert (
        java.id
        == "https://www.credly.com/org/security-compass/badge/software-security-practitioner-defending-java"
    )
    assert java.issuer is not None and java.issuer.name == "Security Compass"
    assert java.level == "Intermediate" and java.type is CredentialType.CERTIFICATION
    assert "OWASP Top 10" in {s.skill.name for s in java.skills}
    # "time_to_earn": "Weeks" is kept as published; it states no hours
    assert java.duration is not None and java.duration.text == "Weeks"
    assert java.duration_hours is None


def test_two_earned_badges_of_one_template_give_one_credential() -> None:
    template = {
        "id": "538d61bc-8e6d-49c5-9667-7f8d3c48e630",
        "name": "Defending Java",
        "url": "https://www.credly.com/org/sc/badge/defending-java",
    }
    badges = [
        {"id": f"b{i}", "issued_to": f"Earner {i}", "state": "accepted", "badge_template": template}
        for i in range(2)
    ]
    result = parse_text(json.dumps({"data": badges}))
    assert [c.name for c in result.credentials] == ["Defending Java"] and result.warnings == []
