"""Sitemaps (sitemaps.org 0.9: `<urlset>` and `<sitemapindex>`) and the `Sitemap:` lines of
robots.txt: how the crawl finds the pages of a site that publishes schema.org markup.

XML is read with defusedxml and any DOCTYPE is refused, so entity expansion ("billion
laughs") and external entities cannot be used against the crawler. Gzip-compressed sitemaps
are decompressed by the fetch layer; these functions take text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XMLParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from credgraph.formats.base import ParseError

_PROLOG = re.compile(
    r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*", re.DOTALL | re.IGNORECASE
)
_ROOT = re.compile(r"<(?:[\w.-]+:)?(urlset|sitemapindex)[\s>/]")
_ROBOTS_SITEMAP = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE)
_YEAR_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


@dataclass(slots=True)
class SitemapResult:
    """Pages of a `<urlset>` with their `lastmod`, child sitemaps of a `<sitemapindex>`, and
    what was skipped (entries without a usable `<loc>`, unreadable dates)."""

    pages: list[tuple[str, datetime | None]] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def is_sitemap(text: str) -> bool:
    """Whether the document's root element is `urlset` or `sitemapindex` (any prefix)."""
    head = text.lstrip("\ufeff")
    start = _PROLOG.match(head[:65536])
    rest = head[start.end() if start else 0 :][:512]
    return bool(_ROOT.match(rest))


def parse_sitemap(text: str, url: str) -> SitemapResult:
    """Pages (absolute http(s) `loc` and `lastmod` as an aware datetime, UTC when the date has
    no zone) of a urlset, or the child sitemaps of a sitemap index, in document order,
    without duplicates. ParseError for anything that is not a well-formed sitemap."""
    body = text.lstrip("\ufeff")
    if not body.strip():
        raise ParseError(url, "empty document where a sitemap was expected")
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ParseError(
            url, f"sitemap refused: {type(exc).__name__} (no DOCTYPE allowed)"
        ) from exc
    except XMLParseError as exc:
        raise ParseError(url, f"sitemap is not well-formed XML: {exc}") from exc
    except (ValueError, RecursionError) as exc:
        raise ParseError(url, f"sitemap could not be read: {exc}") from exc
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise ParseError(url, f"not a sitemap: root element is <{kind}>")
    result = SitemapResult()
    seen: set[str] = set()
    entry_name = "url" if kind == "urlset" else "sitemap"
    for number, entry in enumerate((e for e in root if _local(e.tag) == entry_name), 1):
        loc = _resolve(_child_text(entry, "loc"), url)
        if loc is None:
            result.warnings.append(f"<{entry_name}> {number} has no usable http(s) <loc>")
            continue
        if loc in seen:
            continue
        seen.add(loc)
        if kind == "sitemapindex":
            result.sitemaps.append(loc)
            continue
        raw_date = _child_text(entry, "lastmod")
        lastmod = parse_lastmod(raw_date)
        if raw_date and lastmod is None:
            result.warnings.append(f"<url> {number}: unreadable lastmod {raw_date[:40]!r}")
        result.pages.append((loc, lastmod))
    return result


def sitemaps_from_robots(text: str, base_url: str) -> list[str]:
    """The sitemap URLs named by `Sitemap:` lines (any case, anywhere in the file, comments
    after '#' ignored), resolved against the robots.txt URL; http(s) only, no duplicates."""
    found: list[str] = []
    for line in text.lstrip("\ufeff").splitlines():
        match = _ROBOTS_SITEMAP.match(line.split("#", 1)[0])
        if match:
            url = _resolve(match.group(1), base_url)
            if url and url not in found:
                found.append(url)
    return found


def parse_lastmod(value: str | None) -> datetime | None:
    """A W3C datetime (`2024-05-01`, `2024-05-01T10:00:00+02:00`, `...Z`, `2024-05`,
    `2024`) as an aware datetime; None when unreadable."""
    if not value:
        return None
    raw = value.strip()
    partial = _YEAR_MONTH.match(raw)
    try:
        if partial:
            found = datetime(int(partial.group(1)), int(partial.group(2) or 1), 1)
        else:
            found = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        return None
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(entry: Element, name: str) -> str | None:
    for child in entry:
        if _local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def _resolve(value: str | None, base: str) -> str | None:
    if not value:
        return None
    try:
        url = urljoin(base, value.strip())
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None
