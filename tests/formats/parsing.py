"""Documents and checked parses for the format tests, defined once: `documents(fmt, url)` makes
a format's documents, `checked_parser(fmt, url)` parses them and checks every record it reads
(valid, and carrying the document's provenance)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from credgraph.formats import Document, ParseResult, parser_for
from credgraph.model.validation import validate_credential, validate_issuer, validate_skill

FETCHED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


class MakeDocument(Protocol):
    def __call__(
        self, text: str, url: str = ..., linked: Mapping[str, Any] | None = None
    ) -> Document: ...


class ParseText(Protocol):
    def __call__(
        self, text: str, url: str = ..., linked: Mapping[str, Any] | None = None
    ) -> ParseResult: ...


def documents(fmt: str, default_url: str) -> MakeDocument:
    """Documents of format `fmt` from source `test-<fmt>`, at `default_url` unless given."""

    def make(
        text: str, url: str = default_url, linked: Mapping[str, Any] | None = None
    ) -> Document:
        return Document(
            url=url, text=text, source_id=f"test-{fmt}", format=fmt, fetched_at=FETCHED,
            linked=linked or {},
        )  # fmt: skip

    return make


def check_records(result: ParseResult, doc: Document, *, same_provenance: bool) -> None:
    """Every credential, issuer and skill read is valid and comes from `doc`'s source; with
    `same_provenance`, credentials and skills name `doc` itself (not a linked document)."""
    for credential in result.credentials:
        assert validate_credential(credential) == [], credential.id
    assert all(validate_issuer(i) == [] for i in result.issuers)
    assert all(validate_skill(s) == [] for s in result.skills)
    assert all(c.provenance is not None for c in result.credentials)
    for record in [*result.credentials, *result.issuers, *result.skills]:
        if record.provenance is not None:
            assert record.provenance.source_id == doc.source_id, record.id
    if same_provenance:
        for record in [*result.credentials, *result.skills]:
            assert record.provenance == doc.provenance(), record.id


def checked_parser(fmt: str, default_url: str, *, same_provenance: bool = True) -> ParseText:
    """The format's parser over `documents(fmt, default_url)`, checking what it reads."""
    make = documents(fmt, default_url)

    def parse_text(
        text: str, url: str = default_url, linked: Mapping[str, Any] | None = None
    ) -> ParseResult:
        doc = make(text, url, linked)
        result = parser_for(fmt)(doc)
        check_records(result, doc, same_provenance=same_provenance)
        return result

    return parse_text
