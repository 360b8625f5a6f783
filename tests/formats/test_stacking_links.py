"""Open Badges alignments to credentials and schema.org program links become stacking links."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from credgraph.formats import openbadges, schemaorg
from credgraph.formats.base import Document

FETCHED = datetime(2026, 12, 1, tzinfo=UTC)
CTID = "ce-1369d357-ac4f-49f9-8af2-c47376278896"


def _doc(url: str, data: object, fmt: str) -> Document:
    return Document(url=url, text=json.dumps(data), source_id="t", format=fmt, fetched_at=FETCHED)


def test_ob3_alignment_to_a_ctdl_credential_is_a_preparation_link() -> None:
    achievement = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "https://badges.example/achievements/network-basics",
        "type": ["Achievement"],
        "name": "Network Basics",
        "description": "Entry badge.",
        "criteria": {"narrative": "Pass the lab."},
        "creator": {
            "id": "https://badges.example/issuer",
            "type": ["Profile"],
            "name": "Example Academy",
        },
        "alignment": [
            {
                "type": ["Alignment"],
                "targetName": "CompTIA Cloud+",
                "targetType": "ceterms:Certification",
                "targetUrl": f"https://credentialengineregistry.org/resources/{CTID}",
            },
            {
                "type": ["Alignment"],
                "targetName": "Some degree",
                "targetType": "ceterms:BachelorDegree",
            },
            {
                "type": ["Alignment"],
                "targetName": "Subnetting",
                "targetType": "ceasn:Competency",
                "targetUrl": "https://skills.example/subnetting",
            },
        ],
    }
    result = openbadges.parse(
        _doc("https://badges.example/achievements/network-basics", achievement, "openbadges")
    )
    [credential] = result.credentials
    assert credential.prepares_for == (CTID,)
    assert [s.skill.name for s in credential.skills] == ["Subnetting"]
    assert any("Some degree" in w and "no CTID or URL" in w for w in result.warnings)


def test_schemaorg_program_awarding_a_credential_by_reference_prepares_for_it() -> None:
    page = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalProgram",
        "@id": "https://college.example/programs/welding#program",
        "name": "Welding Program",
        "url": "https://college.example/programs/welding",
        "educationalCredentialAwarded": "https://college.example/credentials/welding-aas",
        "isPartOf": {"@id": "https://college.example/programs/manufacturing#program"},
    }
    result = schemaorg.parse(_doc("https://college.example/programs/welding", page, "schemaorg"))
    [credential] = result.credentials
    assert credential.prepares_for == ("https://college.example/credentials/welding-aas",)
    assert credential.part_of == ("https://college.example/programs/manufacturing#program",)
