"""The jobposting format: pages, feeds, sitemaps, every JobPosting field, and bad input."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from credgraph.formats import parser_for
from credgraph.formats.base import Document, ParseError
from credgraph.formats.jobposting import MAX_PAGES_PER_SITEMAP, parse, read_posting
from credgraph.model.jobs import MAX_POSTING_SKILLS

BASE = "https://jobs.example/job/1"


def doc(text: str, url: str = BASE, media_type: str | None = None) -> Document:
    return Document(
        url=url,
        text=text,
        source_id="board",
        format="jobposting",
        fetched_at=datetime(2026, 12, 1, tzinfo=UTC),
        media_type=media_type,
    )


def page(*blocks: Any) -> str:
    scripts = "".join(
        f'<script type="application/ld+json">{b if isinstance(b, str) else json.dumps(b)}</script>'
        for b in blocks
    )
    return f"<html><head>{scripts}</head><body>job</body></html>"


def posting(**fields: Any) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": "JobPosting", "title": "Nurse", **fields}


def test_registered_as_a_format() -> None:
    assert parser_for("jobposting") is parse


def test_html_in_every_field_is_stripped() -> None:
    read = read_posting(
        posting(
            title="<h1>Senior <b>Data</b> Engineer</h1>",
            description="<p>Build <script>alert(1)</script>pipelines &amp; models</p><ul><li>SQL</li></ul>",
            skills="<ul><li>SQL</li><li>Apache <i>Spark</i></li></ul>",
            qualifications="<p>AWS Certified Data Engineer</p>",
            educationRequirements="<b>BSc</b> in CS",
            hiringOrganization={"@type": "Organization", "name": "<span>Acme</span>"},
        ),
        BASE,
    )
    p = read.posting
    assert p is not None
    assert p.title == "Senior Data Engineer"
    assert p.description is not None and "<" not in p.description and "alert" not in p.description
    assert "pipelines & models" in p.description
    assert [s.skill.name for s in p.skills] == ["SQL", "Apache Spark"]
    assert p.qualifications == "AWS Certified Data Engineer"
    assert p.education_requirements == ("BSc in CS",)
    assert p.employer is not None and p.employer.name == "Acme"


def test_missing_title_is_a_warning_and_the_others_are_read() -> None:
    result = parse(
        doc(
            page(
                posting(title=None, description="no title"),
                posting(title="   "),
                posting(title="Welder"),
            )
        )
    )
    assert [p.title for p in result.postings] == ["Welder"]
    assert sum("no title" in w for w in result.warnings) == 2


def test_name_stands_in_for_a_missing_title() -> None:
    read = read_posting({"@type": "JobPosting", "name": "Mobile App Developer"}, BASE)
    assert read.posting is not None and read.posting.title == "Mobile App Developer"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-01", date(2024, 3, 1)),
        ("2024-03-01T09:30:00-05:00", date(2024, 3, 1)),
        ("March 1, 2024", date(2024, 3, 1)),
        ("1 March 2024", date(2024, 3, 1)),
        ("2024/03/01", date(2024, 3, 1)),
        ("01.03.2024", date(2024, 3, 1)),
        ("Fri, 01 Mar 2024 10:00:00 GMT", date(2024, 3, 1)),
        (1709287200, date(2024, 3, 1)),
        # the day in the posting's own zone, not the UTC day it began or ended in
        ("2026-08-10T00:00:00+02:00", date(2026, 8, 10)),
        ("2024-03-01T23:30:00-05:00", date(2024, 3, 1)),
    ],
)
def test_dates_in_other_formats(raw: Any, expected: date) -> None:
    read = read_posting(posting(datePosted=raw), BASE)
    assert read.posting is not None and read.posting.date_posted == expected
    assert read.warnings == []


def test_valid_through_keeps_its_zone_as_utc_and_bad_dates_are_named() -> None:
    read = read_posting(posting(validThrough="2024-03-01T23:59:59+01:00", datePosted="soon"), BASE)
    p = read.posting
    assert p is not None and p.valid_through == datetime(2024, 3, 1, 22, 59, 59, tzinfo=UTC)
    assert p.date_posted is None
    assert any("datePosted 'soon'" in w for w in read.warnings)
    assert not p.active_at(datetime(2024, 3, 2, tzinfo=UTC))
    assert p.active_at(datetime(2024, 3, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("raw", "low", "high", "currency", "unit"),
    [
        ("$50,000 - $70,000 a year", 50000, 70000, "USD", "YEAR"),
        ("£25k per annum", 25000, 25000, "GBP", "YEAR"),
        ("45 EUR/hour", 45, 45, "EUR", "HOUR"),
        (
            {
                "@type": "MonetaryAmount",
                "currency": "USD",
                "value": {
                    "@type": "QuantitativeValue",
                    "minValue": "40.00",
                    "maxValue": 50,
                    "unitText": "HOUR",
                },
            },
            40,
            50,
            "USD",
            "HOUR",
        ),
        (
            {"@type": "MonetaryAmount", "currency": "CAD", "value": "$60,000"},
            60000,
            60000,
            "CAD",
            None,
        ),
        (72000, 72000, 72000, None, None),
        (  # a range written as the value's text, as a job board publishes it
            {
                "currency": "EUR",
                "value": {
                    "@type": "QuantitativeValue",
                    "value": "$151,700 - $212,000 USD OTE",
                    "unitText": "YEAR",
                },
            },
            151700,
            212000,
            "EUR",
            "YEAR",
        ),
    ],
)
def test_salaries_as_amounts_and_strings(
    raw: Any, low: float, high: float, currency: str | None, unit: str | None
) -> None:
    read = read_posting(posting(baseSalary=raw), BASE)
    salary = read.posting.salary if read.posting else None
    assert salary is not None
    assert (salary.min_amount, salary.max_amount, salary.currency, salary.unit) == (
        low,
        high,
        currency,
        unit,
    )


def test_salary_without_an_amount_is_a_warning() -> None:
    read = read_posting(posting(baseSalary="competitive"), BASE)
    assert read.posting is not None and read.posting.salary is None
    assert any("baseSalary 'competitive'" in w for w in read.warnings)


def test_an_occupation_given_as_a_number_is_a_warning() -> None:
    read = read_posting(
        posting(occupationalCategory=[151212, "15-1252.00 Software Developers"]), BASE
    )
    assert read.posting is not None
    assert [o.occupation.code for o in read.posting.occupations] == ["15-1252.00"]
    assert any("occupationalCategory 151212 is a number, not a code" in w for w in read.warnings)


def test_thousands_of_skills_are_capped_with_a_warning() -> None:
    many = ", ".join(f"skill {i}" for i in range(5000))
    read = read_posting(posting(skills=many), BASE)
    assert read.posting is not None and len(read.posting.skills) == MAX_POSTING_SKILLS
    assert any("5000 listed" in w for w in read.warnings)


def test_skills_as_text_terms_and_lists() -> None:
    read = read_posting(
        posting(
            skills=[
                "Python; Go",
                {
                    "@type": "DefinedTerm",
                    "name": "SQL",
                    "termCode": "S1.2",
                    "inDefinedTermSet": "ESCO",
                    "url": "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
                },
            ]
        ),
        BASE,
    )
    assert read.posting is not None
    ids = [s.skill.id for s in read.posting.skills]
    assert ids == [
        "label:python",
        "label:go",
        "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
    ]


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("11-3021.00 Computer and Information Systems Managers", "onet:11-3021.00"),
        (
            {"@type": "CategoryCode", "codeValue": "15-1252", "inCodeSet": "SOC 2018"},
            "onet:15-1252.00",
        ),
        (
            {
                "@type": "CategoryCode",
                "codeValue": "2512",
                "inCodeSet": "ISCO-08",
                "name": "Software developers",
            },
            "isco:2512",
        ),
        (
            {
                "@type": "CategoryCode",
                "name": "data scientist",
                "inCodeSet": "ESCO",
                "url": "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30",
            },
            "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30",
        ),
    ],
)
def test_occupational_category_in_each_scheme(category: Any, expected: str) -> None:
    read = read_posting(posting(occupationalCategory=category), BASE)
    assert read.posting is not None
    assert [o.occupation.id for o in read.posting.occupations] == [expected]


def test_asked_credentials_from_requirements() -> None:
    read = read_posting(
        posting(
            educationRequirements=[
                {
                    "@type": "EducationalOccupationalCredential",
                    "credentialCategory": "bachelor degree",
                },
                {
                    "@type": "EducationalOccupationalCredential",
                    "name": "CompTIA Security+",
                    "url": "https://www.comptia.org/certifications/security",
                },
            ],
            qualifications={"@type": "EducationalOccupationalCredential", "name": "CISSP"},
            experienceRequirements={
                "@type": "OccupationalExperienceRequirements",
                "monthsOfExperience": 36,
            },
        ),
        BASE,
    )
    p = read.posting
    assert p is not None
    assert [(a.name, a.url, a.field) for a in p.asked] == [
        ("CISSP", None, "qualifications"),
        (
            "CompTIA Security+",
            "https://www.comptia.org/certifications/security",
            "educationRequirements",
        ),
    ]
    assert p.education_requirements == ("bachelor degree", "CompTIA Security+")
    assert p.experience_requirements == ("36 months of experience",)


def test_names_in_other_scripts_are_kept() -> None:
    read = read_posting(
        posting(
            title="Golang разработчик",
            skills="Go, PostgreSQL, 機械学習",
            hiringOrganization={"@type": "Organization", "name": "Рога и Копыта"},
            jobLocation={"@type": "Place", "address": {"addressLocality": "Москва"}},
        ),
        "https://hh.example/vacancy/1",
    )
    p = read.posting
    assert p is not None and p.title == "Golang разработчик"
    assert [s.skill.name for s in p.skills] == ["Go", "PostgreSQL", "機械学習"]
    assert p.employer is not None and p.employer.id == "issuer:рога и копыта"
    assert p.locations == ("Москва",)
    assert p.id.startswith("https://hh.example/vacancy/1#")


@pytest.mark.parametrize("shape", ["bare", "data", "items", "jobs"])
def test_json_feeds(shape: str) -> None:
    jobs = [
        {"title": "Cook", "url": "https://jobs.example/j/1"},
        {"title": "Driver", "url": "https://jobs.example/j/2"},
        {"@type": "Organization", "name": "not a posting"},
    ]
    body = jobs if shape == "bare" else {shape: jobs}
    result = parse(doc(json.dumps(body), url="https://jobs.example/feed.json"))
    assert [p.id for p in result.postings] == [
        "https://jobs.example/j/1",
        "https://jobs.example/j/2",
    ]


def test_broken_block_is_reported_and_the_rest_read() -> None:
    result = parse(doc(page("{not json", posting(title="Baker"))))
    assert [p.title for p in result.postings] == ["Baker"]
    assert any("JSON-LD block 1" in w for w in result.warnings)


def test_a_document_of_no_known_shape_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="neither HTML, JSON"):
        parse(doc("42"))
    with pytest.raises(ParseError, match="empty"):
        parse(doc(""))
    found = parse(doc("[1, 2]"))
    assert found.postings == [] and found.warnings == ["no JobPosting with a title found"]


def test_duplicate_ids_in_a_feed_are_named() -> None:
    jobs = [
        {"title": "Cook", "url": "https://jobs.example/j/1"},
        {"title": "Chef", "url": "https://jobs.example/j/1"},
    ]
    result = parse(doc(json.dumps(jobs)))
    assert [p.title for p in result.postings] == ["Cook"]
    assert any("already used" in w for w in result.warnings)


def test_robots_txt_leads_to_sitemaps() -> None:
    result = parse(
        doc(
            "User-agent: *\nSitemap: https://jobs.example/sitemap.xml\n",
            url="https://jobs.example/robots.txt",
            media_type="text/plain",
        )
    )
    assert result.next_pages == ["https://jobs.example/sitemap.xml"]


@pytest.mark.slow
def test_a_sitemap_of_a_million_urls_is_capped_per_document() -> None:
    urls = "".join(f"<url><loc>https://jobs.example/j/{i}</loc></url>" for i in range(1_000_000))
    text = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    result = parse(doc(text, url="https://jobs.example/sitemap.xml"))
    assert len(result.next_pages) == MAX_PAGES_PER_SITEMAP
    assert any("1000000 pages" in w for w in result.warnings)


def test_a_sitemap_over_the_cap_is_capped() -> None:
    count = MAX_PAGES_PER_SITEMAP + 10
    urls = "".join(f"<url><loc>https://jobs.example/j/{i}</loc></url>" for i in range(count))
    text = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    result = parse(doc(text, url="https://jobs.example/sitemap.xml"))
    assert result.next_pages[-1] == f"https://jobs.example/j/{MAX_PAGES_PER_SITEMAP - 1}"
    assert any(f"{count} pages" in w for w in result.warnings)


def test_a_description_published_as_escaped_html_is_read_as_text() -> None:
    escaped = "&lt;p&gt;Build &lt;strong&gt;autonomous&lt;/strong&gt; things.&lt;/p&gt;"
    read = read_posting(posting(description=escaped), BASE)
    assert read.posting is not None and read.posting.description == "Build autonomous things."
    compared = read_posting(posting(description="a &lt; b and c &gt; d"), BASE)
    assert compared.posting is not None and compared.posting.description == "a < b and c > d"
    # text about HTML is text: no document begins or closes a tag in it
    for about in ("Covers the &lt;canvas&gt; element and &lt;svg&gt;", "if a&lt;b and c&gt;d"):
        read = read_posting(posting(description=about), BASE)
        assert read.posting is not None
        assert read.posting.description == about.replace("&lt;", "<").replace("&gt;", ">")


def test_an_employment_type_written_as_a_json_array_is_read() -> None:
    read = read_posting(posting(employmentType='["FULL_TIME", "CONTRACTOR"]'), BASE)
    assert read.posting is not None
    assert read.posting.employment_types == ("FULL_TIME", "CONTRACTOR")
