"""The parser contract, checked for every registered format (`credgraph.formats.FORMATS`) as
tests/contract checks every store: a document that is not one of the format's (garbage, an
error page, an API's error body, a shape from the wrong endpoint) is refused with a ParseError
naming it, and no hostile text makes a parser raise anything else or read an invalid record.

Formats that read web pages (`PAGE_FORMATS`) may instead read such a page as nothing but a
warning: a page without data is not an error. A format registered later is checked here with
no change: it gets every case below, and may add its own `NEAR_MISSES`."""

from __future__ import annotations

import json

import pytest

from credgraph.formats import FORMATS, ParseError, ParseResult, parser_for
from tests.formats.parsing import check_records, documents

URL = "https://garbage.example.org/catalog?page=7"
PAGE_FORMATS = frozenset({"schemaorg", "jobposting"})


def jsonld_page(block: str) -> str:
    script = f'<script type="application/ld+json">{block}</script>'
    return f"<!DOCTYPE html><html><head>{script}</head><body></body></html>"


NOT_A_DOCUMENT = [
    "{not json",
    "",
    "42",
    "null",
    "[" * 100_000 + "]" * 100_000,
]
# What publishers serve instead of a catalog: error pages, bot walls, API error bodies.
ERROR_BODIES = [
    "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
    "<html><body><h1>403 Forbidden</h1></body></html>",
    "<html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>",
    "<html><head><title>OpenSALT</title></head><body>Sign in</body></html>",
    "<!DOCTYPE html><html><body><h1>Credential Finder</h1></body></html>",
    '{"error": {"code": 404, "message": "Not found"}}',
    '{"errors": [{"message": "Unauthorized"}]}',
    '{"errorCode": "Not Authorized", "message": null}',
    '{"message": "Not found"}',
    '{"imsx_codeMajor": "failure", "imsx_severity": "error", "imsx_description": "Not found"}',
]
# Each format's near misses: JSON of the right kind but not a document it reads.
NEAR_MISSES: dict[str, list[str]] = {
    "case": [
        "[]",
        '["CFDocuments"]',
        '"CFPackage"',
        '{"something": "else"}',
        '{"CFDocuments": "none"}',
    ],
    "coursera": ["[]", '{"elements": {"id": "x"}}'],
    "credly": ['{"data": {"id": "x"}}'],
    "ctdl": ['"a string"', "[1, 2, 3]", '{"errors": ["Couldn\'t find Envelope"]}'],
    "openbadges": ['"just a string"'],
}
# Hostile text: nothing but a ParseError may come of it (some of it is read, validly).
HOSTILE = [
    "   \n",
    "\x00\x01\x02\ufffd\udcff\x7f not a document",
    "[" * 100_000,
    '{"a":' * 900 + "1" + "}" * 900,
    jsonld_page("[" * 100_000 + "]" * 100_000),
    jsonld_page('{"a":' * 900 + "1" + "}" * 900),
    '<div data-x="' + "a" * 5_000_000 + '"></div>' + jsonld_page('{"@type": "Course"}'),
    "<" * 10_000 + "&#xffffffff;" + "<!" * 1000 + "<![CDATA[",
    '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    "<urlset>&b;</urlset>",
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>',
    '[1, null, "x", {"@type": 5}, {"@type": "Course", "name": {"@value": null}}]',
    json.dumps(
        {
            "@type": "Course",
            "name": "N",
            "@id": "http://a:99999/x",
            "provider": [1, None],
            "offers": {"price": True},
            "teaches": [{"@id": "http://[::1"}, None, 3],
            "hasCourse": "http://[bad",
            "occupationalCategory": {"codeValue": ["x"]},
        }
    ),
]
EVERY_TEXT = [
    *NOT_A_DOCUMENT,
    *ERROR_BODIES,
    *dict.fromkeys(t for texts in NEAR_MISSES.values() for t in texts),
    *HOSTILE,
]


def answer(fmt: str, text: str) -> ParseResult | ParseError:
    """The parser's answer to `text` at URL; any exception but ParseError fails the test."""
    doc = documents(fmt, URL)(text)
    try:
        result = parser_for(fmt)(doc)
    except ParseError as error:
        assert error.url == URL and URL in str(error), "a ParseError names its document"
        assert error.reason.strip()
        return error
    check_records(result, doc, same_provenance=False)
    return result


def refusals() -> list[tuple[str, str]]:
    return [
        (fmt, text)
        for fmt in FORMATS
        for text in [*NOT_A_DOCUMENT, *ERROR_BODIES, *NEAR_MISSES.get(fmt, [])]
    ]


@pytest.mark.parametrize(("fmt", "text"), refusals(), ids=lambda v: v[:20])
def test_what_is_not_a_document_of_the_format_is_refused_naming_it(fmt: str, text: str) -> None:
    got = answer(fmt, text)
    if isinstance(got, ParseError):
        return
    assert fmt in PAGE_FORMATS, f"{fmt} read {text[:60]!r} without a ParseError"
    assert not (got.credentials or got.issuers or got.skills or got.occupations or got.postings), (
        got
    )
    assert got.warnings, "a page read as nothing says why"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("text", EVERY_TEXT, ids=range(len(EVERY_TEXT)))
def test_hostile_text_gives_a_parse_error_or_valid_records(fmt: str, text: str) -> None:
    answer(fmt, text)
