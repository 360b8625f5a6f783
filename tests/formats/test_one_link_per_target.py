"""One link per target: two statements linking a credential to the same skill or occupation
give one link, with the strongest method and what both sources said about the node."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from credgraph.formats.base import Document
from credgraph.formats.credly import parse as parse_credly
from credgraph.formats.links import one_link_per_target
from credgraph.formats.openbadges import parse as parse_ob
from credgraph.model.records import (
    Credential,
    Occupation,
    OccupationLink,
    Skill,
    SkillLink,
)
from credgraph.model.values import SkillRelation

FETCHED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
ESCO = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"


def doc(body: Any, fmt: str, url: str = "https://badges.example.org/b.json") -> Document:
    return Document(url=url, text=json.dumps(body), source_id="t", format=fmt, fetched_at=FETCHED)


def test_two_alignments_to_the_same_skill_give_one_link_keeping_both_sources() -> None:
    badge = {
        "@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass",
        "id": "https://badges.example.org/b.json", "name": "Python",
        "criteria": {"narrative": "x"},
        "alignment": [
            {"targetName": "Python (computer programming)", "targetUrl": ESCO,
             "targetFramework": "ESCO"},
        ],
        "alignments": [
            {"targetName": "Python", "targetUrl": ESCO, "targetCode": "S1.2.3",
             "targetDescription": "Write programs in Python."},
        ],
    }  # fmt: skip
    (credential,) = parse_ob(doc(badge, "openbadges")).credentials
    (link,) = credential.skills
    assert link.skill.id == ESCO
    assert (link.skill.name, link.skill.framework) == ("Python (computer programming)", "ESCO")
    # the second alignment's code, description and wording are kept on the one node
    assert (link.skill.code, link.skill.description) == ("S1.2.3", "Write programs in Python.")
    assert "Python" in link.skill.alt_labels


def test_a_credly_skill_tag_and_an_alignment_to_the_same_skill_give_one_link() -> None:
    template = {
        "id": "4f3e0c7e-0000-4000-8000-000000000001", "name": "Cloud Basics",
        "url": "https://www.credly.com/org/acme/badge/cloud-basics",
        "skills": [{"id": "s1", "name": "Cloud Computing"}],
        "alignments": [{"name": "Cloud Computing", "url": None}],
    }  # fmt: skip
    result = parse_credly(
        doc({"data": [template]}, "credly", "https://www.credly.com/organizations/acme/badges")
    )
    (credential,) = result.credentials
    assert [(link.skill.id, link.method) for link in credential.skills] == [
        ("label:cloud computing", "credly:skills")
    ]


def skill_link(sid: str, method: str, confidence: float | None, **fields: Any) -> SkillLink:
    return SkillLink(
        Skill(sid, fields.pop("name", "Skill"), **fields), SkillRelation.TEACHES, method, confidence
    )


def test_the_strongest_link_wins_and_the_other_uri_becomes_same_as() -> None:
    weak = skill_link("onet:2.A.1.a", "label", 0.6, uri="https://example.org/reading")
    strong = skill_link(
        "onet:2.A.1.a", "exact-code", 1.0, name="Reading Comprehension", code="2.A.1.a"
    )
    merged = one_link_per_target(Credential("https://x.example/c", "C", skills=(weak, strong)))
    (link,) = merged.skills
    assert (link.method, link.confidence) == ("exact-code", 1.0)
    assert link.skill.code == "2.A.1.a" and link.skill.uri == "https://example.org/reading"
    assert link.skill.name == "Reading Comprehension" and link.skill.alt_labels == ("Skill",)


def test_teaching_and_assessing_one_skill_is_one_link_first_published_on_a_tie() -> None:
    teaches = skill_link("esco:x", "ctdl:teaches", 1.0)
    assesses = SkillLink(teaches.skill, SkillRelation.ASSESSES, "ctdl:assesses", 1.0)
    merged = one_link_per_target(Credential("https://x.example/c", "C", skills=(teaches, assesses)))
    assert [(s.relation, s.method) for s in merged.skills] == [
        (SkillRelation.TEACHES, "ctdl:teaches")
    ]


def test_two_links_to_one_occupation_give_one_link() -> None:
    a = OccupationLink(
        Occupation("onet:15-1252.00", "Software Developers"), "ctdl:occupationType", 1.0
    )
    b = OccupationLink(
        Occupation("onet:15-1252.00", "Developers", code="15-1252.00"), "ctdl:isPreparationFor", 1.0
    )
    merged = one_link_per_target(Credential("https://x.example/c", "C", occupations=(a, b)))
    (link,) = merged.occupations
    assert (link.method, link.occupation.code) == ("ctdl:occupationType", "15-1252.00")


def test_a_credential_without_duplicates_is_returned_unchanged() -> None:
    c = Credential(
        "https://x.example/c", "C", skills=(skill_link("a", "m", 1.0), skill_link("b", "m", 1.0))
    )
    assert one_link_per_target(c) is c
