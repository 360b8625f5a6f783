from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from credgraph.formats.base import ParseError
from credgraph.formats.sitemaps import (
    is_sitemap,
    parse_lastmod,
    parse_sitemap,
    sitemaps_from_robots,
)

OURS = Path(__file__).resolve().parents[1] / "fixtures" / "schemaorg"
SITE = "https://www.example-tech.edu"


def test_sitemap_index() -> None:
    found = parse_sitemap((OURS / "sitemap-index.xml").read_text(), f"{SITE}/sitemap-index.xml")
    assert found.sitemaps == [f"{SITE}/sitemaps/programs.xml", f"{SITE}/sitemaps/courses.xml.gz"]
    assert (found.pages, found.warnings) == ([], [])


def test_urlset_with_lastmod() -> None:
    found = parse_sitemap(
        (OURS / "sitemap-programs.xml").read_text(), f"{SITE}/sitemaps/programs.xml"
    )
    assert found.pages == [
        (f"{SITE}/programs/data-analytics", datetime(2025, 2, 14, tzinfo=UTC)),
        (
            f"{SITE}/programs/cyber-security",
            datetime(2025, 2, 20, 15, 30, tzinfo=timezone(timedelta(hours=1))),
        ),
        (f"{SITE}/programs/nursing?track=evening&year=2025", datetime(2025, 1, 5, 9, tzinfo=UTC)),
        (f"{SITE}/programs/welding", None),
    ]
    assert found.sitemaps == []
    assert found.warnings == [
        "<url> 4: unreadable lastmod 'sometime last spring'",
        "<url> 5 has no usable http(s) <loc>",
    ]


def test_no_namespace_old_namespace_and_relative_loc() -> None:
    old = (
        '<urlset xmlns="http://www.google.com/schemas/sitemap/0.84">'
        "<url><loc>/a</loc></url></urlset>"
    )
    assert parse_sitemap(old, f"{SITE}/s.xml").pages == [(f"{SITE}/a", None)]
    bare = "<sitemapindex><sitemap><loc>https://x.example/s2.xml</loc></sitemap></sitemapindex>"
    assert parse_sitemap(bare, "https://x.example/s.xml").sitemaps == ["https://x.example/s2.xml"]


@pytest.mark.parametrize(
    "text",
    [
        # billion laughs
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<urlset><url><loc>&lol2;</loc></url></urlset>",
        # external entity
        '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<urlset><url><loc>&x;</loc></url></urlset>",
        # any DOCTYPE at all
        '<!DOCTYPE urlset SYSTEM "http://x.example/s.dtd"><urlset/>',
    ],
)
def test_doctype_and_entities_are_refused(text: str) -> None:
    with pytest.raises(ParseError, match="sitemap refused: DTDForbidden"):
        parse_sitemap(text, "https://x.example/s.xml")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty document"),
        ("<urlset><url>", "not well-formed"),
        ("not xml at all", "not well-formed"),
        ('<rss version="2.0"><channel/></rss>', "root element is <rss>"),
    ],
)
def test_not_a_sitemap(text: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason) as info:
        parse_sitemap(text, "https://x.example/s.xml")
    assert info.value.url == "https://x.example/s.xml"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-05-01T10:00Z", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        (
            "2024-05-01T10:00:00.5+02:00",
            datetime(2024, 5, 1, 10, 0, 0, 500000, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2024-05", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024", datetime(2024, 1, 1, tzinfo=UTC)),
        ("2024-13-01", None),
        ("yesterday", None),
        (None, None),
    ],
)
def test_lastmod(raw: str | None, expected: datetime | None) -> None:
    assert parse_lastmod(raw) == expected


def test_robots() -> None:
    found = sitemaps_from_robots((OURS / "robots.txt").read_text(), f"{SITE}/robots.txt")
    assert found == [f"{SITE}/sitemap-index.xml", f"{SITE}/sitemaps/courses.xml"]
    assert sitemaps_from_robots("User-agent: *\nDisallow: /\n", f"{SITE}/robots.txt") == []
    assert sitemaps_from_robots("", f"{SITE}/robots.txt") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<?xml version="1.0"?>\n<!-- generated -->\n<urlset xmlns="x"/>', True),
        ("\ufeff<sitemapindex>", True),
        ('<?xml version="1.0"?><sm:urlset xmlns:sm="x"/>', True),
        ("<!DOCTYPE html><html><body>urlset</body></html>", False),
        ("<urlsetx/>", False),
    ],
)
def test_is_sitemap(text: str, expected: bool) -> None:
    assert is_sitemap(text) is expected
