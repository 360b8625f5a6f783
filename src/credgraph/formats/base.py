"""What every format parser takes and returns. Parsers are pure: text in, records out.

A parser never fetches. When a document refers to another one it needs (an Open Badges
issuer given as a URL, a CTDL organisation only linked by URI), the parser lists that URL in
`ParseResult.needs`; the crawl fetches it and parses again with the fetched JSON in
`Document.linked` (a URL mapped to None means the fetch failed: the parser then does what it
can without it and says so in a warning). Next pages go in `next_pages`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Any

from credgraph.errors import CredgraphError
from credgraph.model.jobs import JobPosting
from credgraph.model.pathway import PublishedPathway
from credgraph.model.records import (
    Credential,
    Equivalence,
    Issuer,
    Occupation,
    Provenance,
    Skill,
    SkillRequirement,
)


class ParseError(CredgraphError):
    """A whole document could not be read (not JSON, wrong shape...). Names the URL."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


AsGiven = tuple[tzinfo | None, int]


def as_given(moment: datetime) -> AsGiven:
    """What a cache key of objects holding `moment` needs besides it: one instant in two
    offsets is two equal datetimes, and so is a repeated wall-clock time (fold 0 and 1) in
    zones that have one, yet each record keeps its document's time as it was given."""
    return moment.tzinfo, moment.fold


# Every record a document yields carries its provenance: one object per document (and URL)
# rather than one per record, so a page's records share it, and it crosses from a parse
# worker once per page instead of once per record (ingest.wire keeps shared objects shared).
@lru_cache(maxsize=1024)
def _provenance(
    source_id: str,
    url: str,
    fmt: str,
    fetched_at: datetime,
    _given: AsGiven,  # in the key only (`as_given`)
    content_hash: str | None,
    licence: str | None,
) -> Provenance:
    return Provenance(source_id, url, fmt, fetched_at, content_hash, licence)


@dataclass(frozen=True, slots=True)
class Document:
    """One fetched document, decoded to text by the fetch layer."""

    url: str
    text: str
    source_id: str
    format: str
    fetched_at: datetime
    media_type: str | None = None
    content_hash: str | None = None
    licence: str | None = None
    linked: Mapping[str, Any] = field(default_factory=dict)

    def provenance(self, url: str | None = None) -> Provenance:
        return _provenance(
            self.source_id,
            url or self.url,
            self.format,
            self.fetched_at,
            as_given(self.fetched_at),
            self.content_hash,
            self.licence,
        )

    def json(self) -> Any:
        """The body as JSON, or ParseError naming the URL and what is wrong."""
        text = self.text.lstrip("\ufeff")
        if not text.strip():
            raise ParseError(self.url, "empty document where JSON was expected")
        if text.lstrip()[:1] == "<":
            raise ParseError(self.url, "got HTML (or XML) where JSON was expected")
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParseError(
                self.url, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
            ) from exc
        except RecursionError as exc:
            raise ParseError(self.url, "JSON nested too deeply") from exc
        return mend_surrogates(value) if _ESCAPED_SURROGATE.search(text) else value


# A `\ud800` escape JSON accepts but no store can encode when it is not half of a pair.
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def mend_surrogates(value: Any) -> Any:
    """`value` with every unpaired surrogate in its strings (keys too) replaced by U+FFFD,
    so a record keeps its text instead of being refused by the store."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [mend_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {mend_surrogates(k): mend_surrogates(v) for k, v in value.items()}
    return value


@dataclass(slots=True)
class ParseResult:
    credentials: list[Credential] = field(default_factory=list)
    issuers: list[Issuer] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)
    occupations: list[Occupation] = field(default_factory=list)
    requirements: list[SkillRequirement] = field(default_factory=list)
    equivalences: list[Equivalence] = field(default_factory=list)
    postings: list[JobPosting] = field(default_factory=list)
    pathways: list[PublishedPathway] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def merge(self, other: ParseResult) -> None:
        for name in (
            "credentials",
            "issuers",
            "skills",
            "occupations",
            "requirements",
            "equivalences",
            "postings",
            "pathways",
            "next_pages",
            "needs",
            "warnings",
        ):
            getattr(self, name).extend(getattr(other, name))


Parser = Callable[[Document], ParseResult]


def json_parser(read: Callable[[Document, Any], ParseResult]) -> Parser:
    """The parser of a JSON format: `read` gets the document and its JSON; JSON nested too
    deeply for `read` to walk (Python's recursion limit) is a ParseError naming the URL, as
    it is for the JSON decoder, never an escaped RecursionError that stops a crawl."""

    def parse(doc: Document) -> ParseResult:
        data = doc.json()
        try:
            return read(doc, data)
        except RecursionError as exc:
            raise ParseError(doc.url, "JSON nested too deeply") from exc

    parse.__doc__ = read.__doc__
    return parse
