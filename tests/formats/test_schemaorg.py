from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from credgraph.formats import parser_for
from credgraph.formats.base import Document, ParseResult
from credgraph.formats.schemaorg import parse
from credgraph.model.records import Issuer
from credgraph.model.validation import validate_credential
from credgraph.model.values import CredentialType, Credits, Duration, Money, SkillRelation
from tests.crawlers.corpus import recorded_path

OURS = Path(__file__).resolve().parents[1] / "fixtures" / "schemaorg"
FETCHED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
PAGE = "https://www.example-tech.edu/programs/data-analytics"
WGU = Issuer(
    id="https://www.wgu.edu/", name="Western Governors University", url="https://www.wgu.edu/"
)


def doc(text: str, url: str = PAGE, media_type: str | None = None) -> Document:
    return Document(url, text, "src-1", "schemaorg", FETCHED, media_type, "sha256:abc", "CC-BY-4.0")


def jsonld_page(*blocks: object) -> str:
    scripts = "".join(
        f'<script type="application/ld+json">{b if isinstance(b, str) else json.dumps(b)}</script>'
        for b in blocks
    )
    return f"<!DOCTYPE html><html><head>{scripts}</head><body></body></html>"


def same_issuer(found: Issuer | None, expected: Issuer) -> bool:
    return found is not None and (found.id, found.name, found.url, found.country) == (
        expected.id,
        expected.name,
        expected.url,
        expected.country,
    )


# -- real samples ----------------------------------------------------------------------------
def test_wgu_certificate_page() -> None:
    url = "https://www.wgu.edu/online-business-degrees/certificates/leadership.html"
    result = parse(
        doc(recorded_path("schemaorg-program-page-wgu-cert-1.html").read_text(), url, "text/html")
    )
    assert result.warnings == []
    assert [c.id for c in result.credentials] == [
        f"{url}#program",
        f"{url}#course-fundamentals-for-success-in-business",
        f"{url}#course-organizational-behavior",
        f"{url}#course-values-based-leadership",
    ]
    program, *courses = result.credentials
    assert program.name == "Business Leadership Certificate"
    assert program.type is CredentialType.CERTIFICATE
    assert program.url == url
    assert program.cost == Money(1125.0, "USD")
    assert program.credits == Credits(9.0, None)
    assert program.delivery_mode == "online"
    # P4M: four months of full-time study, 125-150 hours each (formats.durations)
    assert program.duration == Duration("P4M", "P4M", 500.0, 600.0)
    assert program.duration_hours == 600.0
    assert program.has_part == tuple(c.id for c in courses)
    assert program.description.startswith("A self-directed, competency-based certificate")
    assert (program.skills, program.occupations, program.level) == ((), (), None)
    assert same_issuer(program.issuer, WGU)
    assert [c.name for c in courses] == [
        "Fundamentals for Success in Business",
        "Organizational Behavior",
        "Values-Based Leadership",
    ]
    assert all(c.type is CredentialType.COURSE and same_issuer(c.issuer, WGU) for c in courses)
    assert len(result.issuers) == 1 and same_issuer(result.issuers[0], WGU)
    assert {c.provenance.url for c in result.credentials} == {url}
    assert (result.skills, result.occupations, result.next_pages, result.needs) == ([], [], [], [])


def test_wgu_computer_science_jsonld() -> None:
    url = "https://www.wgu.edu/online-it-degrees/computer-science.html"
    result = parse(doc(recorded_path("schemaorg-program-jsonld-wgu-bscs-1.json").read_text(), url))
    program_id = f"{url}#program"
    assert result.warnings == [
        f"EducationalOccupationalProgram {program_id}: numberOfCredits '37 courses' is not a "
        "credit amount; ignored",
        f"EducationalOccupationalProgram {program_id}: only a periodic price given "
        "(4125 USD (Tuition per 6-month term)); cost left empty",
    ]
    assert len(result.credentials) == 38
    program, *courses = result.credentials
    assert program.id == program_id
    assert program.name == "Online Computer Science Degree"
    assert program.type is CredentialType.DEGREE  # credentialCategory "Bachelor of Science"
    assert (program.cost, program.credits) == (None, None)
    # timeToComplete P25M (termDuration P6M is a term, not the program)
    assert program.duration == Duration("P25M", "P25M", 3125.0, 3750.0)
    assert program.duration_hours == 3750.0
    assert program.delivery_mode == "online"
    assert len(courses) == 37 and all(c.type is CredentialType.COURSE for c in courses)
    assert program.has_part == tuple(c.id for c in courses)
    assert courses[0].id == f"{url}#course-health-fitness-and-wellness"
    assert courses[-1].name == "Business of IT - Applications"
    assert all(same_issuer(c.issuer, WGU) for c in result.credentials)
    assert len(result.issuers) == 1


def test_hnc_credential() -> None:
    url = "https://www.sqa.org.uk/examples/hnc.json"
    result = parse(doc(recorded_path("schemaorg-credential-jsonld-hnc-1.json").read_text(), url))
    assert result.warnings == []
    [hnc] = result.credentials
    assert hnc.id == f"{url}#hnc-facilities-management"
    assert hnc.name == "HNC Facilities Management"
    assert hnc.type is CredentialType.CERTIFICATE  # "Higher National Certificate"
    assert hnc.level == "SCQF Level 7"
    assert hnc.issuer is None and result.issuers == []
    [link] = hnc.skills
    assert link.relation is SkillRelation.ASSESSES
    assert link.method == "schemaorg:competencyRequired"
    assert link.skill.id == "https://www.ukstandards.org.uk/PublishedNos/ASTFM401.pdf"
    assert link.skill.name == "Understand facilities management and its place in the organisation"
    assert link.skill.code == "ASTFM401"
    assert link.skill.framework == "https://www.ukstandards.org.uk/"


# -- our fixtures ----------------------------------------------------------------------------
def test_page_with_three_blocks() -> None:
    result = parse(doc((OURS / "page-three-blocks.html").read_text(), media_type="text/html"))
    assert result.warnings == [
        "JSON-LD block 1 (line 8) ignored: "
        "invalid JSON at line 5 column 62: Expecting ',' delimiter"
    ]
    ctid = "ce-0b6f7c52-2d3a-4c1e-9f55-1a2b3c4d5e6f"
    program, course = result.credentials
    assert program.id == f"{PAGE}#program"  # relative @id resolved against the page
    assert program.name == "Data Analytics Certificate"
    assert program.type is CredentialType.CERTIFICATE
    assert (
        program.description == "Learn to clean, query and visualise data.\nTwelve weeks, part-time."
    )
    assert program.url == "https://www.example-tech.edu/programs/data-analytics"
    assert program.duration_hours == 120.0
    assert program.credits == Credits(12.0, "credit hours")
    assert program.cost == Money(3450.0, "USD")
    assert program.delivery_mode == "blended"
    assert program.language == "en-US"
    assert program.prerequisites == "High school diploma or equivalent"
    assert program.has_part == (ctid,)
    # from the awarded credential, referenced by @id
    assert (program.level, program.validity) == ("Undergraduate", "P3Y")
    assert [a.id for a in program.accredited_by] == ["https://www.accreditor.example/"]
    assert [(s.skill.id, s.skill.name, s.skill.framework, s.relation) for s in program.skills] == [
        (
            "example-tech-skills-framework:DV-1",
            "Data visualisation",
            "Example Tech Skills Framework",
            SkillRelation.ASSESSES,
        ),
        ("label:descriptive statistics", "Descriptive statistics", None, SkillRelation.ASSESSES),
    ]
    assert [
        (o.occupation.id, o.occupation.name, o.occupation.framework) for o in program.occupations
    ] == [
        ("onet:15-2051.00", "Data Scientists", "O*NET-SOC"),
        ("onet:15-2041.00", "Statisticians", "O*NET-SOC"),
    ]
    org = Issuer(
        id="https://www.example-tech.edu/",
        name="Example Institute of Technology",
        url="https://www.example-tech.edu/",
        country="US",
    )
    assert same_issuer(program.issuer, org) and same_issuer(course.issuer, org)
    assert course.id == ctid and course.ctid == ctid
    assert course.type is CredentialType.COURSE
    assert course.description == "Queries, joins and aggregates & window functions."
    assert (course.duration_hours, course.language, course.delivery_mode) == (30.0, "en", "online")
    assert course.cost == Money(0.0, "USD")
    assert course.prerequisites == "Basic spreadsheet skills"
    assert [(s.skill.id, s.skill.framework, s.relation) for s in course.skills] == [
        ("label:structured query language", None, SkillRelation.TEACHES),
        (
            "https://skills.example-tech.edu/terms/rdb",
            "Example Tech Skills Framework",
            SkillRelation.TEACHES,
        ),
    ]
    assert [i.id for i in result.issuers] == ["https://www.example-tech.edu/"]
    assert all(validate_credential(c) == [] for c in result.credentials)
    prov = program.provenance
    assert (
        prov.source_id,
        prov.url,
        prov.format,
        prov.fetched_at,
        prov.content_hash,
        prov.licence,
    ) == ("src-1", PAGE, "schemaorg", FETCHED, "sha256:abc", "CC-BY-4.0")


def test_page_without_jsonld() -> None:
    result = parse(doc((OURS / "page-no-jsonld.html").read_text(), media_type="text/html"))
    assert result == ParseResult(warnings=["no JSON-LD on the page"])


# -- rules -----------------------------------------------------------------------------------
def test_credential_id_rules() -> None:
    ctid = "ce-11111111-2222-4333-8444-555555555555"
    result = parse(
        doc(
            jsonld_page(
                [
                    {
                        "@context": "https://schema.org",
                        "@type": "Course",
                        "name": "With CTID",
                        "@id": "#a",
                        "identifier": [
                            {"@type": "PropertyValue", "propertyID": "ctid", "value": ctid.upper()}
                        ],
                    },
                    {
                        "@type": "Course",
                        "name": "Absolute",
                        "@id": "HTTPS://Courses.Example.org:443/c/1/#x",
                    },
                    {"@type": "Course", "name": "Blank node", "@id": "_:b0"},
                    {"@type": "Course", "name": "  Génie   Logiciel (niveau 2) "},
                ]
            )
        )
    )
    assert [c.id for c in result.credentials] == [
        ctid,
        "https://courses.example.org/c/1#x",
        f"{PAGE}#blank-node",
        f"{PAGE}#génie-logiciel-niveau-2",
    ]


def test_nameless_records_are_skipped_and_others_kept() -> None:
    result = parse(
        doc(
            jsonld_page(
                {"@type": "Course", "@id": "https://x.example/c/1", "description": "no name"},
                {"@type": "EducationalOccupationalCredential", "name": "Kept"},
            )
        )
    )
    assert [c.name for c in result.credentials] == ["Kept"]
    assert result.warnings == ["Course https://x.example/c/1 skipped: no name"]


def test_broken_and_empty_blocks_are_warnings() -> None:
    result = parse(doc(jsonld_page("{oops", "", {"@type": "Course", "name": "Still read"}, "42")))
    assert [c.name for c in result.credentials] == ["Still read"]
    assert result.warnings == [
        "JSON-LD block 1 (line 1) ignored: invalid JSON at line 1 column 2: "
        "Expecting property name enclosed in double quotes",
        "JSON-LD block 2 (line 1) ignored: empty block",
        "JSON-LD block 4 (line 1): JSON-LD must be an object or an array",
    ]


def test_schema_prefixes_nesting_and_comment_wrappers() -> None:
    page = jsonld_page(
        '<!-- {"@context": {"@vocab": "http://schema.org/"}, "@type": "WebPage", "mainEntity":'
        ' {"@type": "http://schema.org/Course", "http://schema.org/name": "Nested"}} -->',
        {
            "@type": ["Product", "schema:Course"],
            "schema:name": "Prefixed",
            "schema:inLanguage": "fr-ca",
        },
    )
    result = parse(doc(page))
    assert [(c.name, c.language) for c in result.credentials] == [
        ("Nested", None),
        ("Prefixed", "fr-CA"),
    ]


def test_awarded_credential_is_merged_but_standalone_one_is_not() -> None:
    result = parse(
        doc(
            json.dumps(
                {
                    "@graph": [
                        {
                            "@type": "EducationalOccupationalProgram",
                            "name": "Nursing",
                            "educationalCredentialAwarded": "https://x.example/cred/bsn",
                            "programType": "Program",
                        },
                        {
                            "@type": "EducationalOccupationalCredential",
                            "@id": "https://x.example/cred/bsn",
                            "name": "Bachelor of Science in Nursing",
                            "credentialCategory": {
                                "@id": "http://purl.org/ctdl/terms/BachelorDegree"
                            },
                        },
                        {
                            "@type": "EducationalOccupationalCredential",
                            "name": "Phlebotomy Licence",
                            "credentialCategory": "license",
                            "validFor": "P2Y",
                        },
                    ]
                }
            )
        )
    )
    assert [(c.name, c.type, c.validity) for c in result.credentials] == [
        ("Nursing", CredentialType.DEGREE, None),
        ("Phlebotomy Licence", CredentialType.LICENSE, "P2Y"),
    ]


@pytest.mark.parametrize(
    ("offers", "expected", "warned"),
    [
        ({"price": "1,500.00", "priceCurrency": "eur"}, Money(1500.0, "EUR"), False),
        (
            [
                {"category": "per credit", "price": 300, "priceCurrency": "USD"},
                {"priceSpecification": [{"price": 9000, "priceCurrency": "USD"}]},
            ],
            Money(9000.0, "USD"),
            False,
        ),
        (
            {
                "priceSpecification": {
                    "@type": "UnitPriceSpecification",
                    "price": 50,
                    "priceCurrency": "USD",
                    "billingDuration": "P1M",
                }
            },
            None,
            True,
        ),
        ({"price": "Free"}, None, False),
    ],
)
def test_offers(offers: object, expected: Money | None, warned: bool) -> None:
    result = parse(doc(jsonld_page({"@type": "Course", "name": "C", "offers": offers})))
    assert result.credentials[0].cost == expected
    assert any("periodic price" in w for w in result.warnings) is warned


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        (
            {"@type": "CategoryCode", "codeValue": "29-1141", "name": "Registered Nurses"},
            ("onet:29-1141.00", "Registered Nurses", "29-1141.00", "O*NET-SOC"),
        ),
        (
            "Registered Nurses (29-1141.00)",
            ("onet:29-1141.00", "Registered Nurses", "29-1141.00", "O*NET-SOC"),
        ),
        (
            "Nursing and midwifery",
            ("label:nursing and midwifery", "Nursing and midwifery", None, None),
        ),
        (
            {
                "@type": "CategoryCode",
                "codeValue": "2221",
                "name": "Nursing professionals",
                "inCodeSet": "ISCO-08",
            },
            ("isco-08:2221", "Nursing professionals", "2221", "ISCO-08"),
        ),
    ],
)
def test_occupational_category(category: object, expected: tuple[object, ...]) -> None:
    page = jsonld_page(
        {"@type": "EducationalOccupationalProgram", "name": "P", "occupationalCategory": category}
    )
    [link] = parse(doc(page)).credentials[0].occupations
    o = link.occupation
    assert (o.id, o.name, o.code, o.framework) == expected


@pytest.mark.parametrize(
    ("modes", "expected"),
    [
        (["Online"], "online"),
        ("https://schema.org/OnSite", "in-person"),
        (["online", "in person"], "blended"),
        ("Hybrid", "blended"),
        ("Full-time", "full-time"),
    ],
)
def test_delivery_mode(modes: object, expected: str) -> None:
    page = jsonld_page(
        {"@type": "EducationalOccupationalProgram", "name": "P", "educationalProgramMode": modes}
    )
    assert parse(doc(page)).credentials[0].delivery_mode == expected


def test_credits_and_prerequisites() -> None:
    page = jsonld_page(
        {
            "@graph": [
                {"@type": "Course", "@id": "#intro", "name": "Intro"},
                {
                    "@type": "Course",
                    "name": "Advanced",
                    "numberOfCredits": "6 ECTS",
                    "coursePrerequisites": [{"@id": "#intro"}, "Algebra"],
                    "hasPart": [
                        "https://x.example/unit/1",
                        {"@type": "WebPage", "name": "Syllabus"},
                    ],
                },
            ]
        }
    )
    intro, advanced = parse(doc(page)).credentials
    assert advanced.credits == Credits(6.0, "ECTS")
    assert advanced.requires == (intro.id,) == (f"{PAGE}#intro",)
    assert advanced.prerequisites == "Intro\nAlgebra"
    assert advanced.has_part == ("https://x.example/unit/1",)


# -- sitemaps and robots.txt through parse() -------------------------------------------------
def test_sitemap_index_gives_next_pages() -> None:
    result = parse(
        doc(
            (OURS / "sitemap-index.xml").read_text(),
            "https://www.example-tech.edu/sitemap-index.xml",
            "application/xml",
        )
    )
    assert result.next_pages == [
        "https://www.example-tech.edu/sitemaps/programs.xml",
        "https://www.example-tech.edu/sitemaps/courses.xml.gz",
    ]
    assert result.credentials == [] and result.warnings == []


def test_urlset_gives_next_pages() -> None:
    result = parse(
        doc(
            (OURS / "sitemap-programs.xml").read_text(),
            "https://www.example-tech.edu/sitemaps/programs.xml",
        )
    )
    assert result.next_pages == [
        "https://www.example-tech.edu/programs/data-analytics",
        "https://www.example-tech.edu/programs/cyber-security",
        "https://www.example-tech.edu/programs/nursing?track=evening&year=2025",
        "https://www.example-tech.edu/programs/welding",
    ]
    assert len(result.warnings) == 2


def test_robots_gives_sitemaps() -> None:
    result = parse(
        doc(
            (OURS / "robots.txt").read_text(),
            "https://www.example-tech.edu/robots.txt",
            "text/plain",
        )
    )
    assert result.next_pages == [
        "https://www.example-tech.edu/sitemap-index.xml",
        "https://www.example-tech.edu/sitemaps/courses.xml",
    ]
    empty = parse(doc("User-agent: *\nDisallow:\n", "https://x.example/robots.txt"))
    assert empty == ParseResult(warnings=["robots.txt names no sitemap"])


# -- registry --------------------------------------------------------------------------------


def test_registered_as_schemaorg_format() -> None:
    assert parser_for("schemaorg") is parse


# -- subtypes ---------------------------------------------------------------------------------
def test_a_work_based_program_is_read_as_a_program() -> None:
    text = recorded_path("schemaorg-workbasedprogram-example-eg0279.html").read_text()
    (program,) = parse(doc(text, "https://example.org/apprenticeship", "text/html")).credentials
    assert program.name == "IBEW Apprenticeship"
    assert program.issuer is not None
    assert program.issuer.name == "International Brotherhood of Electrical Workers"
    assert [o.occupation.code for o in program.occupations] == ["47-2111.00"]


@pytest.mark.parametrize(
    "typing",
    [
        {"@type": "WorkBasedProgram"},
        {"@type": "https://schema.org/WorkBasedProgram"},
        {"@type": "Thing", "additionalType": "https://schema.org/EducationalOccupationalProgram"},
        {"@type": "Product", "additionalType": ["http://schema.org/Course"]},
    ],
)
def test_subtypes_and_additional_types_of_the_read_kinds_are_records(
    typing: dict[str, Any],
) -> None:
    body = {
        "@context": "https://schema.org/",
        **typing,
        "name": "Electrician Apprenticeship",
        "timeToComplete": "P4Y",
    }
    result = parse(doc(json.dumps(body), "https://example.org/programs/electrician"))
    (program,) = result.credentials
    assert program.name == "Electrician Apprenticeship" and program.duration_hours == 7200.0


def test_a_type_outside_the_three_kinds_is_still_not_a_record() -> None:
    body = {"@context": "https://schema.org/", "@type": "Event", "name": "Open day"}
    result = parse(doc(json.dumps(body), "https://example.org/events/open-day"))
    assert result.credentials == [] and result.warnings
