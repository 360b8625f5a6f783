"""Alternate names publishers give a credential are kept, in every format that has them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from credgraph.formats.alternate_names import MAX_ALTERNATE_NAMES, alternate_names
from credgraph.formats.base import Document
from credgraph.formats.ctdl import parse as parse_ctdl
from credgraph.formats.openbadges import parse as parse_openbadges
from credgraph.formats.schemaorg import parse as parse_schemaorg
from tests.crawlers.corpus import recorded_path

FETCHED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def document(text: str, url: str, fmt: str) -> Document:
    return Document(url=url, text=text, source_id="test", format=fmt, fetched_at=FETCHED)


def test_ctdl_alternate_name_from_a_recorded_registry_resource() -> None:
    text = recorded_path("ctdl-bachelordegree-resource-1.json")
    result = parse_ctdl(
        document(
            text.read_text(encoding="utf-8"),
            "https://credentialengineregistry.org/resources/ce-8f5a2e25-7a30-4eb0-ab9e-ab441ac928c6",
            "ctdl",
        )
    )
    [credential] = result.credentials
    assert credential.alternate_names == ("BSCS_202412",)


def test_open_badges_alternate_names() -> None:
    badge = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "BadgeClass",
        "id": "https://badges.example.org/badges/pm-foundations.json",
        "name": "Project Management Foundations",
        "alternateName": ["PMF", "PM Foundations", "pmf", "", 42],
        "description": "Foundations of project management.",
        "criteria": {"narrative": "Pass the exam."},
        "image": "https://badges.example.org/pm.png",
        "issuer": {
            "type": "Profile",
            "id": "https://badges.example.org/issuer.json",
            "name": "Example Academy",
            "url": "https://badges.example.org",
        },
    }
    result = parse_openbadges(
        document(
            json.dumps(badge), "https://badges.example.org/badges/pm-foundations.json", "openbadges"
        )
    )
    [credential] = result.credentials
    # the same name in another case, empty text and a number are not alternate names
    assert credential.alternate_names == ("PMF", "PM Foundations")


def test_schemaorg_alternate_name() -> None:
    block = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalCredential",
        "@id": "https://www.example.edu/credentials/cloud-practitioner",
        "name": "Cloud Practitioner Certificate",
        "alternateName": "CPC",
        "url": "https://www.example.edu/credentials/cloud-practitioner",
    }
    page = (
        f'<html><head><script type="application/ld+json">{json.dumps(block)}</script></head></html>'
    )
    result = parse_schemaorg(
        document(page, "https://www.example.edu/credentials/cloud-practitioner", "schemaorg")
    )
    [credential] = result.credentials
    assert credential.alternate_names == ("CPC",)


def test_alternate_names_are_capped_and_exclude_the_name() -> None:
    many = [f"Name {n}" for n in range(50)]
    kept = alternate_names(["Main", *many, "x" * 5000], "main")
    assert len(kept) == MAX_ALTERNATE_NAMES
    assert kept[0] == "Name 0"
    assert "Main" not in kept


def test_issuer_alternate_names_in_schemaorg_and_open_badges() -> None:
    block = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalCredential",
        "@id": "https://www.example.edu/credentials/cloud-practitioner",
        "name": "Cloud Practitioner Certificate",
        "provider": {
            "@type": "Organization",
            "name": "Example Technical University",
            "alternateName": ["ETU", "Example Tech"],
            "url": "https://www.example.edu/",
        },
    }
    page = (
        f'<html><head><script type="application/ld+json">{json.dumps(block)}</script></head></html>'
    )
    [credential] = parse_schemaorg(
        document(page, "https://www.example.edu/credentials/cloud-practitioner", "schemaorg")
    ).credentials
    assert credential.issuer is not None
    assert credential.issuer.alternate_names == ("ETU", "Example Tech")

    badge = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "BadgeClass",
        "id": "https://badges.example.org/badges/b.json",
        "name": "Safety Basics",
        "description": "Basics.",
        "criteria": {"narrative": "Attend."},
        "image": "https://badges.example.org/b.png",
        "issuer": {
            "type": "Profile",
            "id": "https://badges.example.org/issuer.json",
            "name": "Example Academy",
            "alternateName": "ExA",
            "url": "https://badges.example.org",
        },
    }
    [badge_credential] = parse_openbadges(
        document(json.dumps(badge), "https://badges.example.org/badges/b.json", "openbadges")
    ).credentials
    assert badge_credential.issuer is not None
    assert badge_credential.issuer.alternate_names == ("ExA",)
