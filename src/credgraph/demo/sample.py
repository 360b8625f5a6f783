"""A small sample graph (four issuers, a dozen credentials) for the offline demo.

Names and figures are illustrative, shaped like what real catalogs publish: an Open Badges
issuer, a university publishing CTDL, a certification body, a MOOC platform.
"""

from __future__ import annotations

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
    Source,
)

_FETCHED = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
ESCO = "http://data.europa.eu/esco/skill/"

SOURCES = [
    Source(
        "demo-badges",
        "openbadges",
        ("http://127.0.0.1/demo/badges.json",),
        "0 3 * * *",
        "CC-BY-4.0",
        "Northwind Digital Academy badges",
    ),
    Source(
        "demo-registry",
        "ctdl",
        ("http://127.0.0.1/demo/ctdl/",),
        "0 4 * * 1",
        "CC0-1.0",
        "Lakeside University in a credential registry",
    ),
    Source(
        "demo-moocs",
        "coursera",
        ("http://127.0.0.1/demo/courses.json",),
        "0 5 * * *",
        "terms of the platform",
        "OpenCourse platform catalog",
    ),
]


def _prov(source: str, path: str) -> Provenance:
    return Provenance(
        source,
        f"http://127.0.0.1/demo/{path}",
        source.split("-")[1],
        _FETCHED,
        None,
        next(s.licence for s in SOURCES if s.id == source),
    )


QA_AGENCY = Issuer("https://qa-agency.example", "National Quality Assurance Agency", country="IE")
NORTHWIND = Issuer(
    "https://northwind.example/issuer",
    "Northwind Digital Academy",
    url="https://northwind.example",
    country="IE",
    accredited_by=(QA_AGENCY,),
)
LAKESIDE = Issuer(
    "ce-5a0c6b8e-1c1d-4d7e-9a43-7b1f3b7a0001",
    "Lakeside University",
    url="https://lakeside.example",
    country="US",
)
OPENCOURSE = Issuer("https://opencourse.example/partners/1", "OpenCourse", country="US")
CLOUDCERT = Issuer("https://cloudcert.example", "CloudCert Institute", country="DE")


def _skill(code: str, name: str) -> Skill:
    return Skill(ESCO + code, name, framework="ESCO", uri=ESCO + code)


SQL = _skill("sql", "SQL")
PYTHON = _skill("python", "Python (computer programming)")
STATISTICS = _skill("statistics", "statistics")
VISUALISE = _skill("visualise-data", "visualise data")
ML = _skill("machine-learning", "machine learning")
CLOUD = _skill("cloud-technologies", "cloud technologies")
NETWORKS = _skill("ict-network", "ICT networking")
SECURITY = _skill("ict-security", "ICT security techniques")
ETHICS = Skill("label:data ethics", "data ethics")
COMMUNICATION = Skill("label:communicating results", "communicating results")

DATA_SCIENTIST = Occupation(
    "onet:15-2051.00", "Data Scientists", code="15-2051.00", framework="O*NET-SOC"
)
DB_ADMIN = Occupation(
    "onet:15-1242.00", "Database Administrators", code="15-1242.00", framework="O*NET-SOC"
)
CLOUD_ARCHITECT = Occupation(
    "onet:15-1241.00", "Computer Network Architects", code="15-1241.00", framework="O*NET-SOC"
)
SECURITY_ANALYST = Occupation(
    "onet:15-1212.00", "Information Security Analysts", code="15-1212.00", framework="O*NET-SOC"
)


def _teaches(*skills: Skill) -> tuple[SkillLink, ...]:
    return tuple(SkillLink(s, SkillRelation.TEACHES, "framework-uri", 1.0) for s in skills)


def _assesses(*skills: Skill) -> tuple[SkillLink, ...]:
    return tuple(SkillLink(s, SkillRelation.ASSESSES, "framework-uri", 1.0) for s in skills)


def _for(*occupations: Occupation) -> tuple[OccupationLink, ...]:
    return tuple(OccupationLink(o, "soc-code", 1.0) for o in occupations)


CREDENTIALS = [
    Credential(
        "https://northwind.example/badges/sql-foundations",
        "SQL Foundations",
        CredentialType.BADGE,
        description="Write queries, joins and aggregations in SQL.",
        url="https://northwind.example/badges/sql-foundations",
        issuer=NORTHWIND,
        language="en",
        duration_hours=12.0,
        cost=Money(90.0, "EUR"),
        level="EQF 4",
        assessment="Online quiz",
        delivery_mode="online",
        skills=_teaches(SQL),
        occupations=_for(DB_ADMIN),
        criteria="Pass the proctored quiz with 70% or more.",
        part_of=("https://northwind.example/badges/data-analyst",),
        provenance=_prov("demo-badges", "badges.json"),
    ),
    Credential(
        "https://northwind.example/badges/python-data",
        "Python for Data",
        CredentialType.BADGE,
        description="Clean, transform and chart data with Python.",
        issuer=NORTHWIND,
        language="en",
        duration_hours=20.0,
        cost=Money(120.0, "EUR"),
        level="EQF 4",
        assessment="Project",
        delivery_mode="online",
        skills=_teaches(PYTHON, VISUALISE),
        part_of=("https://northwind.example/badges/data-analyst",),
        provenance=_prov("demo-badges", "badges.json"),
    ),
    Credential(
        "https://northwind.example/badges/data-analyst",
        "Data Analyst (stacked)",
        CredentialType.MICRO_CREDENTIAL,
        description="Stackable micro-credential: SQL Foundations + Python for Data + a capstone.",
        issuer=NORTHWIND,
        language="en",
        credits=Credits(5.0, "ECTS"),
        cost=Money(450.0, "EUR"),
        level="EQF 5",
        assessment="Capstone project, assessed by two examiners",
        delivery_mode="blended",
        validity="P3Y",
        criteria="Earn both badges and pass the capstone.",
        skills=_teaches(SQL, PYTHON, VISUALISE) + _assesses(STATISTICS, COMMUNICATION),
        occupations=_for(DATA_SCIENTIST, DB_ADMIN),
        accredited_by=(QA_AGENCY,),
        provenance=_prov("demo-badges", "badges.json"),
    ),
    Credential(
        "ce-5a0c6b8e-1c1d-4d7e-9a43-7b1f3b7a0101",
        "Graduate Certificate in Data Science",
        CredentialType.CERTIFICATE,
        ctid="ce-5a0c6b8e-1c1d-4d7e-9a43-7b1f3b7a0101",
        description="Four graduate courses in statistics, machine learning and data ethics.",
        url="https://lakeside.example/programs/data-science-certificate",
        issuer=LAKESIDE,
        language="en",
        credits=Credits(12.0, "credit hours"),
        duration_hours=540.0,
        cost=Money(9600.0, "USD"),
        level="Graduate",
        assessment="Course exams and a project",
        delivery_mode="online",
        prerequisites="A bachelor's degree.",
        skills=_teaches(STATISTICS, ML, PYTHON, ETHICS),
        occupations=_for(DATA_SCIENTIST),
        provenance=_prov("demo-registry", "ctdl/graduate-certificate.json"),
    ),
    Credential(
        "ce-5a0c6b8e-1c1d-4d7e-9a43-7b1f3b7a0102",
        "Master of Science in Data Science",
        CredentialType.DEGREE,
        ctid="ce-5a0c6b8e-1c1d-4d7e-9a43-7b1f3b7a0102",
        description="A two-year master's degree.",
        issuer=LAKESIDE,
        language="en",
        credits=Credits(36.0, "credit hours"),
        cost=Money(31000.0, "USD"),
        level="Master's",
        skills=_teaches(STATISTICS, ML, PYTHON, SQL, ETHICS, COMMUNICATION),
        occupations=_for(DATA_SCIENTIST),
        has_part=("ce-5a0c6b8e-1c1d-4d7e-9a43-7b1f3b7a0101",),
        provenance=_prov("demo-registry", "ctdl/msc.json"),
    ),
    Credential(
        "https://opencourse.example/learn/machine-learning",
        "Machine Learning Specialization",
        CredentialType.COURSE,
        description="Supervised and unsupervised learning in Python.",
        issuer=OPENCOURSE,
        language="en",
        duration_hours=94.0,
        cost=Money(49.0, "USD"),
        skills=_teaches(ML, PYTHON),
        provenance=_prov("demo-moocs", "courses.json"),
    ),
    Credential(
        "https://opencourse.example/learn/sql-for-data",
        "SQL for Data Science",
        CredentialType.COURSE,
        description="Approx. 14 hours of SQL for analysts.",
        issuer=OPENCOURSE,
        language="en",
        duration_hours=14.0,
        cost=Money(0.0, "USD"),
        skills=_teaches(SQL),
        provenance=_prov("demo-moocs", "courses.json"),
    ),
    Credential(
        "https://cloudcert.example/certifications/associate",
        "Cloud Associate",
        CredentialType.CERTIFICATION,
        description="Design and run workloads in the cloud.",
        issuer=CLOUDCERT,
        language="de",
        cost=Money(150.0, "EUR"),
        assessment="Proctored exam, 65 questions",
        validity="P2Y",
        skills=_assesses(CLOUD, NETWORKS, SECURITY),
        occupations=_for(CLOUD_ARCHITECT),
        provenance=_prov("demo-badges", "cloudcert.json"),
    ),
    Credential(
        "https://cloudcert.example/certifications/security",
        "Cloud Security Specialist",
        CredentialType.CERTIFICATION,
        issuer=CLOUDCERT,
        cost=Money(300.0, "EUR"),
        assessment="Proctored exam and lab",
        validity="P2Y",
        skills=_assesses(SECURITY, CLOUD),
        occupations=_for(SECURITY_ANALYST),
        requires=("https://cloudcert.example/certifications/associate",),
        provenance=_prov("demo-badges", "cloudcert.json"),
    ),
]

REQUIREMENTS = [
    SkillRequirement(DATA_SCIENTIST.id, STATISTICS, 4.6, "essential"),
    SkillRequirement(DATA_SCIENTIST.id, ML, 4.4, "essential"),
    SkillRequirement(DATA_SCIENTIST.id, PYTHON, 4.2, "essential"),
    SkillRequirement(DATA_SCIENTIST.id, SQL, 3.9, "essential"),
    SkillRequirement(DATA_SCIENTIST.id, COMMUNICATION, 3.8, "essential"),
    SkillRequirement(DATA_SCIENTIST.id, ETHICS, 3.1, "optional"),
    SkillRequirement(DB_ADMIN.id, SQL, 4.7, "essential"),
    SkillRequirement(DB_ADMIN.id, SECURITY, 3.9, "essential"),
    SkillRequirement(CLOUD_ARCHITECT.id, CLOUD, 4.5, "essential"),
    SkillRequirement(CLOUD_ARCHITECT.id, NETWORKS, 4.4, "essential"),
]
OCCUPATIONS = [DATA_SCIENTIST, DB_ADMIN, CLOUD_ARCHITECT, SECURITY_ANALYST]
