"""A small hand-built graph used by the contract suite (every adapter gets the same records)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from credgraph.model import (
    Credential,
    CredentialType,
    Credits,
    Issuer,
    Money,
    Occupation,
    OccupationLink,
    Provenance,
    Skill,
    SkillLink,
    SkillRelation,
    SkillRequirement,
)

FETCHED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def prov(source: str = "src-a", url: str = "https://catalog.example/page1") -> Provenance:
    return Provenance(source, url, "openbadges", FETCHED, "sha256:abc", "CC-BY-4.0")


ACCREDITOR = Issuer("https://accreditor.example", "Quality Agency", country="DE")
ACME = Issuer(
    "https://acme.example/issuer",
    "Acme Academy",
    url="https://acme.example",
    country="US",
    accredited_by=(ACCREDITOR,),
    description="Cloud and data training",
)
UNI = Issuer("ce-11111111-2222-3333-4444-555555555555", "Universität Zürich", country="CH")
NOBODY = Issuer("issuer:nobody", "Nobody Institute")

SQL = Skill(
    "http://data.europa.eu/esco/skill/sql",
    "SQL",
    framework="ESCO",
    uri="http://data.europa.eu/esco/skill/sql",
    alt_labels=("Structured Query Language",),
)
PY = Skill(
    "http://data.europa.eu/esco/skill/python",
    "Python (computer programming)",
    framework="ESCO",
    uri="http://data.europa.eu/esco/skill/python",
)
STATS = Skill("label:statistics", "Statistics")
CLOUD = Skill("label:cloud computing", "Cloud computing")
ETHICS = Skill("label:data ethics", "Data ethics")
DEVOPS = Skill("label:devops", "DevOps")

DATA_SCI = Occupation(
    "onet:15-2051.00", "Data Scientists", code="15-2051.00", framework="O*NET-SOC"
)
DBA = Occupation(
    "onet:15-1242.00", "Database Administrators", code="15-1242.00", framework="O*NET-SOC"
)


def link(skill: Skill, relation: SkillRelation = SkillRelation.TEACHES) -> SkillLink:
    return SkillLink(skill, relation, method="exact-uri", confidence=1.0)


def credentials() -> list[Credential]:
    return [
        Credential(
            "https://acme.example/badges/data-analyst",
            "Data Analyst Badge",
            CredentialType.BADGE,
            description="Query and <b>analyse</b> data with SQL and Python.",
            url="https://acme.example/badges/data-analyst",
            issuer=ACME,
            language="en",
            duration_hours=40.0,
            cost=Money(199.0, "USD"),
            level="EQF 5",
            assessment="Online exam",
            delivery_mode="online",
            skills=(link(SQL), link(PY), link(STATS, SkillRelation.ASSESSES)),
            occupations=(OccupationLink(DATA_SCI), OccupationLink(DBA)),
            criteria="https://acme.example/badges/data-analyst/criteria",
            provenance=prov(),
        ),
        Credential(
            "https://acme.example/badges/sql-basics",
            "SQL Basics",
            CredentialType.MICRO_CREDENTIAL,
            description="Introductory SQL.",
            issuer=ACME,
            duration_hours=8.0,
            cost=Money(49.0, "USD"),
            skills=(link(SQL),),
            occupations=(OccupationLink(DBA),),
            part_of=("https://acme.example/badges/data-analyst",),
            provenance=prov(),
        ),
        Credential(
            "https://acme.example/badges/cloud",
            "Cloud Practitioner",
            CredentialType.CERTIFICATION,
            description="Cloud computing fundamentals and DevOps.",
            issuer=ACME,
            duration_hours=None,
            cost=None,
            skills=(link(CLOUD), link(DEVOPS)),
            provenance=prov(),
        ),
        Credential(
            "ce-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            "MSc Datenwissenschaft",
            CredentialType.DEGREE,
            ctid="ce-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            description="Master in Data Science — Statistik, Python, Ethik.",
            url="https://uzh.example/msc-data",
            issuer=UNI,
            language="de",
            credits=Credits(90.0, "ECTS"),
            cost=Money(1500.0, "CHF"),
            duration_hours=2700.0,
            skills=(link(PY), link(STATS), link(ETHICS), link(SQL)),
            occupations=(OccupationLink(DATA_SCI),),
            accredited_by=(ACCREDITOR,),
            requires=("https://acme.example/badges/sql-basics",),
            provenance=prov("src-b", "https://registry.example/graph/ce-aaaa"),
        ),
        Credential(
            "https://nobody.example/c/ethics",
            "Ethics in AI",
            CredentialType.COURSE,
            issuer=NOBODY,
            skills=(link(ETHICS),),
            provenance=prov("src-b", "https://nobody.example"),
        ),
        Credential(
            "https://nobody.example/c/empty",
            "Bare Certificate",
            CredentialType.CERTIFICATE,
            provenance=prov("src-b", "https://nobody.example"),
        ),
    ]


REQUIREMENTS = [
    SkillRequirement(DATA_SCI.id, PY, 4.5, "essential"),
    SkillRequirement(DATA_SCI.id, STATS, 4.8, "essential"),
    SkillRequirement(DATA_SCI.id, SQL, 3.9, "essential"),
    SkillRequirement(DATA_SCI.id, ETHICS, 2.5, "optional"),
    SkillRequirement(DATA_SCI.id, CLOUD, 2.0, "optional"),
]


def changed(c: Credential, **changes: object) -> Credential:
    return replace(c, **changes)  # type: ignore[arg-type]
