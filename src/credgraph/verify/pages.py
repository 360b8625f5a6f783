"""A public badge page (HTML) a candidate links to, and the assertion behind it.

Pages name their machine-readable award in one of three ways, tried in order:

* a `<link rel="alternate">` of a JSON type (`application/ld+json`, `application/json`), the
  Open Badges convention for hosted awards;
* an embedded `<script type="application/ld+json">` that is itself an award;
* the host's known layout: a Credly page `https://www.credly.com/badges/<id>` serves its
  Open Badges 2.0 assertion at `https://api.credly.com/v1/obi/v2/badge_assertions/<id>`; a
  Badgr page `https://badgr.com/public/assertions/<id>` at
  `https://api.badgr.io/public/assertions/<id>` (the EU instance likewise, `api.eu.badgr.io`).

The page itself proves nothing: what it links to is fetched and verified like any URL.
`award_behind` costs CPU in proportion to the page (html.parser: seconds for 1 MB of open
tags), so the verifier runs it in a check worker.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from credgraph.verify.errors import Unverifiable
from credgraph.verify.limits import MAX_DEPTH, nests_deeper_than

_JSON_TYPES = ("application/ld+json", "application/json")
_UUID = r"[0-9a-fA-F-]{8,64}"
_KNOWN: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^(?:www\.)?credly\.com$"),
        "https://api.credly.com/v1/obi/v2/badge_assertions/{id}",
    ),
    (re.compile(r"^(?:www\.)?badgr\.com$"), "https://api.badgr.io/public/assertions/{id}"),
    (re.compile(r"^eu\.badgr\.com$"), "https://api.eu.badgr.io/public/assertions/{id}"),
)
_PATHS = (
    re.compile(rf"^/badges/({_UUID})/?$"),
    re.compile(r"^/public/assertions/([\w-]{6,64})/?$"),
)


def looks_like_html(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:1] == "<"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.alternates: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "link" and "alternate" in a.get("rel", "").lower().split():
            if a.get("type", "").split(";")[0].strip().lower() in _JSON_TYPES and a.get("href"):
                self.alternates.append(a["href"])
        elif tag == "script" and a.get("type", "").strip().lower() == "application/ld+json":
            self._in_script, self._buffer = True, []

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script:
            self._in_script = False
            self.scripts.append("".join(self._buffer))


def _is_award(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    types = value.get("type", value.get("@type"))
    # A type that is neither a string nor a list of them names no award (`5`, `[{}]`).
    listed = types if isinstance(types, list) else [types]
    names = {t for t in listed if isinstance(t, str)}
    return bool(
        names & {"Assertion", "OpenBadgeCredential", "AchievementCredential", "ClrCredential"}
    )


def award_behind(page_url: str, html: str) -> tuple[str | None, dict[str, Any] | None, str]:
    """(URL to fetch, or an embedded award, and how it was found); both None when the page
    names none."""
    parser = _Links()
    try:
        parser.feed(html[:2_000_000])
        parser.close()
    except (AssertionError, ValueError):  # a page too broken to read: fall back to the host
        pass
    for href in parser.alternates:
        target = urljoin(page_url, href)
        if urlsplit(target).scheme in ("http", "https") and target != page_url:
            return target, None, f"the page's alternate link {target}"
    for script in parser.scripts:
        try:
            value = json.loads(script)
        except (ValueError, RecursionError):
            continue
        if _is_award(value):
            # Sent back to the verification: an award nested hundreds deep crashed the
            # worker on the way (900 levels, below Python's recursion limit).
            if nests_deeper_than(value, MAX_DEPTH):
                raise Unverifiable(f"its embedded award nests deeper than {MAX_DEPTH} levels")
            return None, value, "the award embedded in the page"
    parts = urlsplit(page_url)
    for host, template in _KNOWN:
        if host.match((parts.hostname or "").lower()):
            for path in _PATHS:
                if (found := path.match(parts.path)) is not None:
                    target = template.format(id=found.group(1))
                    return target, None, f"the assertion {parts.hostname} serves for it, {target}"
    return None, None, ""
