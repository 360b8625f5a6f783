"""sources.toml: `[crawler]` settings and `[[source]]` tables.

Every problem is reported, not just the first, each as `file:line: key: message`, and nothing
is half-loaded: a file with any problem raises ConfigError.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from credgraph.config.schedule import cron_problem, interval_seconds
from credgraph.errors import ConfigError
from credgraph.formats import SOURCE_FORMATS
from credgraph.model.crawl import Source

DEFAULT_USER_AGENT = "credgraph/0.1 (+https://github.com/credgraph/credgraph)"
_HUGE = 10**15  # past any sensible count, size or number of seconds
_SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")  # whole: "$" would let "a\n" through


@dataclass(frozen=True, slots=True)
class CrawlerSettings:
    """How politely and carefully to fetch. Defaults protect the sites we crawl and us."""

    user_agent: str = DEFAULT_USER_AGENT
    per_host_concurrency: int = 1
    delay_seconds: float = 1.0
    allow_private_networks: bool = False
    timeout_seconds: float = 30.0
    max_response_bytes: int = 20 * 1024 * 1024
    max_retries: int = 3
    max_redirects: int = 5
    max_pages: int = 10_000
    stale_after_misses: int = 3
    max_retry_after_seconds: float = 300.0
    max_archive_bytes: int = 1024 * 1024 * 1024  # taxonomy releases (O*NET, ESCO) are large


@dataclass(frozen=True, slots=True)
class Config:
    crawler: CrawlerSettings = field(default_factory=CrawlerSettings)
    sources: tuple[Source, ...] = ()
    path: str = "<memory>"

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        known = ", ".join(s.id for s in self.sources) or "none"
        raise ConfigError([f"{self.path}: no source with id {source_id!r} (known: {known})"])


_CRAWLER_KEYS: dict[str, tuple[type, ...]] = {
    "user_agent": (str,),
    "per_host_concurrency": (int,),
    "delay_seconds": (int, float),
    "allow_private_networks": (bool,),
    "timeout_seconds": (int, float),
    "max_response_bytes": (int,),
    "max_retries": (int,),
    "max_redirects": (int,),
    "max_pages": (int,),
    "stale_after_misses": (int,),
    "max_retry_after_seconds": (int, float),
    "max_archive_bytes": (int,),
}
_SOURCE_KEYS = {
    "id",
    "format",
    "url",
    "urls",
    "schedule",
    "every",
    "licence",
    "license",
    "terms",
    "name",
}


def _line_index(text: str) -> dict[tuple[str, int, str], int]:
    """(table, index of [[source]], key) -> line number, from a light scan of the file:
    tomllib reports no positions for valid-but-wrong values."""
    lines: dict[tuple[str, int, str], int] = {}
    table, index = "", -1
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("["):  # a header may end in a comment: `[[source]]  # Credly`
            line = line.split("#", 1)[0].strip()
        if line.startswith("[["):
            table = line.strip("[] ").strip()
            index += table == "source"
            lines.setdefault((table, index, ""), number)
        elif line.startswith("["):
            table = line.strip("[] ").strip()
            lines.setdefault((table, -1, ""), number)
        elif "=" in line and not line.startswith("#"):
            key = line.split("=", 1)[0].strip().strip('"')
            lines.setdefault((table, index if table == "source" else -1, key), number)
    return lines


class _Problems:
    def __init__(self, path: str, lines: dict[tuple[str, int, str], int]) -> None:
        self.path = path
        self.lines = lines
        self.items: list[str] = []

    def add(self, table: str, index: int, key: str, message: str) -> None:
        line = self.lines.get((table, index, key)) or self.lines.get((table, index, ""))
        where = f"{self.path}:{line}" if line else self.path
        label = (
            f"[[source]] #{index + 1} " if table == "source" else (f"[{table}] " if table else "")
        )
        self.items.append(
            f"{where}: {label}{key}: {message}" if key else f"{where}: {label}{message}"
        )


# A value still to be filled in, as sources.example.toml writes them: ISSUER_ENTITY_ID,
# ESCO_RELEASE_HOST (upper case, words joined by "_").
_PLACEHOLDER = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![A-Za-z0-9])")


def placeholder_problem(value: Any) -> str | None:
    """What to fill in, when `value` still holds a placeholder such as ISSUER_ENTITY_ID."""
    if not isinstance(value, str):
        return None
    found = _PLACEHOLDER.findall(value)
    if not found:
        return None
    what = " and ".join(f"{token} (the {token.lower().replace('_', ' ')})" for token in found)
    return (
        f"{value!r} still holds a placeholder: fill in {what} for your source, as the comment "
        "above it in sources.example.toml explains"
    )


def _http_url_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be a URL string, got {type(value).__name__}"
    try:
        parts = urlsplit(value)
    except ValueError as exc:  # "http://[::1" (an unclosed IPv6 literal) and the like
        return f"{value!r} is not a valid URL: {exc}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{value!r} is not an absolute http(s) URL"
    return None


def _crawler(data: Any, p: _Problems) -> CrawlerSettings:
    if not isinstance(data, dict):
        p.add("crawler", -1, "", "must be a table")
        return CrawlerSettings()
    values: dict[str, Any] = {}
    for key, value in data.items():
        types = _CRAWLER_KEYS.get(key)
        if types is None:
            p.add("crawler", -1, key, f"unknown key (known: {', '.join(_CRAWLER_KEYS)})")
        elif (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            p.add(
                "crawler",
                -1,
                key,
                f"must be {' or '.join(t.__name__ for t in types)}, got {value!r}",
            )
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            p.add("crawler", -1, key, f"must not be negative, got {value!r}")
        elif (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and not (value < _HUGE and (isinstance(value, int) or math.isfinite(value)))
        ):  # inf or nan would make a delay or timeout endless; 10**400 overflows float()
            p.add("crawler", -1, key, "must be a finite number below 1e15")
        else:
            values[key] = (
                float(value) if float in types and isinstance(value, (int, float)) else value
            )
    for key in _AT_LEAST_ONE:
        if values.get(key) == 0:
            p.add("crawler", -1, key, "must be at least 1")
            values.pop(key)
    if values.get("timeout_seconds") == 0:  # every fetch would time out at once
        p.add("crawler", -1, "timeout_seconds", "must be above 0")
        values.pop("timeout_seconds")
    return CrawlerSettings(**values)


# Counts a crawl cannot do with none of: a request at a time, a page, a response's byte.
_AT_LEAST_ONE = ("per_host_concurrency", "max_pages", "max_response_bytes")


def _source(
    index: int, data: Any, seen: dict[str, int], p: _Problems, placeholders: bool = False
) -> Source | None:
    if not isinstance(data, dict):
        p.add("source", index, "", "must be a table")
        return None
    before = len(p.items)
    for key in data:
        if key not in _SOURCE_KEYS:
            p.add("source", index, key, f"unknown key (known: {', '.join(sorted(_SOURCE_KEYS))})")
    source_id = data.get("id")
    if not isinstance(source_id, str) or not _SOURCE_ID.fullmatch(source_id):
        p.add(
            "source",
            index,
            "id",
            f"{source_id!r} must be lower-case letters, digits, '.', '_' or '-' (max 100)",
        )
    elif source_id in seen:
        p.add(
            "source",
            index,
            "id",
            f"duplicate id {source_id!r} (first at source #{seen[source_id] + 1})",
        )
    else:
        seen[source_id] = index
    fmt = data.get("format")
    if fmt not in SOURCE_FORMATS:
        p.add(
            "source",
            index,
            "format",
            f"unknown format {fmt!r} (known: {', '.join(SOURCE_FORMATS)})",
        )
    urls: list[Any] = []
    if "url" in data and "urls" in data:
        p.add("source", index, "urls", "give either url or urls, not both")
    elif "url" in data:
        urls = [data["url"]]
    elif isinstance(data.get("urls"), list) and data["urls"]:
        urls = data["urls"]
    elif "urls" in data:
        p.add("source", index, "urls", f"must be a list of URLs, got {data['urls']!r:.80}")
    else:
        p.add("source", index, "url", 'missing: give url = "..." or urls = [...]')
    for url in urls:
        problem = None if placeholders else placeholder_problem(url)
        problem = problem or _http_url_problem(url)
        if problem:
            p.add("source", index, "urls" if "urls" in data else "url", problem)
    schedule, every = data.get("schedule"), data.get("every")
    if schedule is not None and every is not None:
        p.add("source", index, "every", "give either schedule (cron) or every, not both")
    if schedule is not None:
        problem = cron_problem(schedule) if isinstance(schedule, str) else "must be a cron string"
        if problem:
            p.add("source", index, "schedule", f"{schedule!r}: {problem}")
    if every is not None and (not isinstance(every, str) or interval_seconds(every) is None):
        p.add(
            "source",
            index,
            "every",
            f'{every!r} is not an interval such as "90s", "15m", "6h", "1d" (a year at most)',
        )
    for key in ("licence", "license", "terms", "name"):
        if key in data and not isinstance(data[key], str):
            p.add("source", index, key, "must be text")
    if len(p.items) > before:
        return None
    licence = data.get("licence") or data.get("license") or data.get("terms")
    return Source(str(source_id), str(fmt), tuple(urls), schedule, licence, data.get("name"), every)


def parse_config(text: str, path: str = "<memory>", *, placeholders: bool = False) -> Config:
    """Parse sources.toml text; ConfigError lists every problem with file, line and key.

    A URL still holding a placeholder (ISSUER_ENTITY_ID) is a problem saying what to fill in;
    `placeholders=True` accepts them, for checking the shipped example's shape."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from exc
    except RecursionError as exc:  # tomllib recurses per nested array or inline table
        raise ConfigError([f"{path}: not valid TOML: nested too deeply"]) from exc
    except ValueError as exc:  # an integer of more than 4,300 digits, refused by int()
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from exc
    p = _Problems(path, _line_index(text))
    for key in data:
        if key not in ("crawler", "source"):
            p.add("", -1, key, "unknown top-level key (expected [crawler] and [[source]])")
    crawler = _crawler(data.get("crawler", {}), p)
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list):
        p.add("source", -1, "", "use [[source]] tables")
        raw_sources = []
    seen: dict[str, int] = {}
    sources = [_source(i, s, seen, p, placeholders) for i, s in enumerate(raw_sources)]
    if p.items:
        raise ConfigError(p.items)
    return Config(crawler, tuple(s for s in sources if s is not None), path)


def load_config(path: str | Path, *, placeholders: bool = False) -> Config:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError([f"{file}: no such file"]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{file}: cannot read: {exc}"]) from exc
    return parse_config(text, str(file), placeholders=placeholders)
