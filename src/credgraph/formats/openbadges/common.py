"""Small helpers shared by the JSON catalog parsers (Open Badges, Credly, Coursera).

Documents are untrusted: every accessor here accepts any JSON value and returns a typed value
or an empty one, so that parsers never fail on a field of an unexpected shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from credgraph.formats.base import Document, ParseResult
from credgraph.formats.links import one_link_per_target
from credgraph.formats.normalise import clean_text
from credgraph.model.ids import credential_id, is_did, normalise_uri
from credgraph.model.records import Credential, Issuer
from credgraph.model.validation import MAX_NAME

# Errors a malformed record can provoke in the record builders; caught per record so that one
# bad record is skipped with a warning instead of aborting its document.
RECORD_ERRORS = (ValueError, TypeError, AttributeError, KeyError, RecursionError)


def obj(value: Any) -> dict[str, Any]:
    """The value if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """A JSON array as a list; a single non-null value as a one-item list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def name_text(value: Any) -> str | None:
    """A display name: plain text on one line (HTML stripped, whitespace collapsed). Text
    longer than a store accepts for a name is no usable name (None)."""
    text = clean_text(value)
    if not text or len(text) > MAX_NAME:
        return None
    return " ".join(text.split("\n"))


def short_text(value: Any, limit: int = 2000) -> str | None:
    """Plain text cut to `limit` characters (fields stored with an id-sized limit)."""
    text = clean_text(value)
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def http_url(value: Any, base: str | None = None) -> str | None:
    """An absolute http(s) URL from a string; `/path`, `./x`, `?q` resolved against `base`."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _http_url(value, base)


# Catalogs repeat the same few URLs on every record (the issuer, framework skills), and
# checking one normalises it: remembered, a page's 300 alignments cost 10 checks, not 300.
@lru_cache(maxsize=8192)
def _http_url(value: str, base: str | None) -> str | None:
    raw = value.strip()
    # Only explicit relative references are resolved: a bare token ("abc123") is an opaque
    # identifier, not a path.
    relative = raw.startswith(("/", "./", "../", "?"))
    url = urljoin(base, raw) if base and relative else raw
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        canonical_url(url)
    except ValueError:
        return None
    return url


@lru_cache(maxsize=8192)
def canonical_url(url: str) -> str:
    """`normalise_uri`, remembered: checking a record's URL normalises it, and its id is that
    same normal form, worked out once."""
    return normalise_uri(url)


def url_id(uri: str) -> str:
    """The id of a record known by `uri` (from `record_uri`), as `model.ids` makes it: an
    http(s) URL normalised, a `urn:` or DID as published."""
    if uri.startswith(("http://", "https://")):
        return canonical_url(uri)
    return credential_id(ctid=None, uri=uri)


def record_uri(value: Any, base: str | None = None) -> str | None:
    """An identifier usable as a record id: an http(s) URL (resolved), a `urn:` (such as
    `urn:uuid:...`) or a DID (`did:key:...`, `did:web:...`)."""
    if isinstance(value, str) and value.strip().lower().startswith("urn:") and len(value) > 8:
        return value.strip()
    if isinstance(value, str) and is_did(value):
        return value.strip()
    return http_url(value, base)


def host_of(url: str) -> str:
    return urlsplit(url).hostname or url


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """Distinct values in first-seen order."""
    return tuple(dict.fromkeys(v for v in values if v))


def keyword_list(*values: Any) -> tuple[str, ...]:
    """Keywords from strings or lists of strings, cleaned, distinct case-insensitively."""
    seen: dict[str, str] = {}
    for value in values:
        for item in as_list(value):
            text = name_text(item) if isinstance(item, (str, dict)) else None
            if text and text.casefold() not in seen:
                seen[text.casefold()] = text
    return tuple(seen.values())


def where(index: int | str, record: Any) -> str:
    """How a warning names a record: its position in the document and its id if it has one."""
    rid = obj(record).get("id")
    label = f"record #{index}" if isinstance(index, int) else str(index)
    if isinstance(rid, (str, int)) and not isinstance(rid, bool) and str(rid).strip():
        return f"{label} (id {str(rid).strip()[:200]})"
    return label


_NEXT_PATHS: tuple[tuple[str, ...], ...] = (
    ("next",),
    ("next_page_url",),
    ("nextPage",),
    ("links", "next"),
    ("_links", "next"),
    ("pagination", "next"),
    ("pagination", "next_page_url"),
    ("meta", "next"),
    ("metadata", "next_page_url"),
    ("paging", "next"),
)


def body_next_page(data: Any, doc_url: str) -> str | None:
    """A next-page URL given in the body of a listing (`next`, `links.next`, `pagination.next`,
    `metadata.next_page_url`...), resolved against the document URL. Bare numbers (offsets)
    are not URLs and are ignored here."""
    for path in _NEXT_PATHS:
        value: Any = data
        for key in path:
            value = obj(value).get(key)
        if isinstance(value, dict):
            value = value.get("href") or value.get("url")
        if isinstance(value, str) and not value.strip().isdigit():
            url = http_url(value, doc_url)
            if url:
                return url
    return None


def add_next_page(result: ParseResult, doc: Document, url: str | None) -> None:
    """Record a next page unless it is the document itself (a loop)."""
    if not url:
        return
    if normalise_uri(url) == normalise_uri(doc.url):
        result.warnings.append(f"{doc.url}: next page points at this page; not followed")
    elif url not in result.next_pages:
        result.next_pages.append(url)


class Collector:
    """Credentials and issuers of one document, the last record per id kept."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.credentials: dict[str, Credential] = {}
        self.issuers: dict[str, Issuer] = {}
        self.warnings: list[str] = []

    def credential(self, record: Credential, label: str) -> None:
        record = one_link_per_target(record)
        old = self.credentials.pop(record.id, None)
        if old is not None and old != record:
            self.warnings.append(
                f"{self.doc.url}: {label}: duplicate id {record.id}; keeping the last one"
            )
        self.credentials[record.id] = record

    def issuer(self, record: Issuer, label: str) -> None:
        old = self.issuers.pop(record.id, None)
        if old is not None and old != record:
            self.warnings.append(
                f"{self.doc.url}: {label}: duplicate issuer id {record.id}; keeping the last one"
            )
        self.issuers[record.id] = record

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.doc.url}: {message}")

    def into(self, result: ParseResult) -> ParseResult:
        result.credentials.extend(self.credentials.values())
        result.issuers.extend(self.issuers.values())
        result.warnings.extend(self.warnings)
        return result
