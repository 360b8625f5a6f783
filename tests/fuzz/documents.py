"""The documents the fuzz tests start from, read where they live (never copied), and the
strategies that damage them: structural damage, hostile strings, truncation, deep nesting,
huge values, and whole documents of the wrong shape."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.formats.damage import damaged
from tests.formats.test_real_fixtures import REAL, TABLE
from tests.fuzz.hostile import dumps, hostile_text, json_values, nested_json

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# Fixture folders and file-name prefixes, to the format that reads them.
_BY_FOLDER = {
    "openbadges": "openbadges",
    "ctdl": "ctdl",
    "credly": "credly",
    "case": "case",
    "coursera": "coursera",
    "schemaorg": "schemaorg",
}
_BY_PREFIX = {
    "case-": "case",
    "coursera-": "coursera",
    "credly-": "credly",
    "ctdl-": "ctdl",
    "ob3-": "openbadges",
    "schemaorg-": "schemaorg",
}


@dataclass(frozen=True)
class Sample:
    format: str
    path: Path
    url: str

    @property
    def is_json(self) -> bool:
        return self.path.suffix == ".json"


@cache
def samples() -> tuple[Sample, ...]:
    """Every real sample meant for a parser, and every format fixture of tests/fixtures."""
    found = [
        Sample(e.format, REAL / name, e.url or f"https://example.org/samples/{name}")
        for name, e in sorted(TABLE.items())
        if e.meant_for
    ]
    for folder, fmt in _BY_FOLDER.items():
        for path in sorted((FIXTURES / folder).glob("*.*")):
            if path.suffix in (".json", ".html"):
                found.append(Sample(fmt, path, f"https://example.org/{folder}/{path.name}"))
    for path in sorted((FIXTURES / "crawl").glob("*.*")):
        prefixed = next((f for p, f in _BY_PREFIX.items() if path.name.startswith(p)), None)
        if prefixed and path.suffix in (".json", ".html"):
            found.append(Sample(prefixed, path, f"https://example.org/crawl/{path.name}"))
    return tuple(found)


def samples_of(fmt: str) -> list[Sample]:
    return [s for s in samples() if s.format == fmt]


@cache
def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside `value` (the root included)."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_paths(child, (*prefix, index)))
    return found


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return value


_NEST = "__fuzz_nest__"


@st.composite
def mutated_json(draw: st.DrawFn, sample: Sample) -> tuple[str, str]:
    """A damaged copy of a JSON sample, as text, and the name of what was done to it."""
    original = json.loads(_text(sample.path))
    body = copy.deepcopy(original)
    how = draw(
        st.sampled_from(
            ["damage", "replace", "strings", "truncate", "nest", "huge", "wrong-root", "bytes"]
        )
    )
    if how == "damage":
        rng = draw(st.randoms(use_true_random=False))
        for _ in range(draw(st.integers(1, 8))):
            body = damaged(body, rng)
    elif how == "replace":
        for _ in range(draw(st.integers(1, 4))):
            body = _set(body, draw(st.sampled_from(_paths(body))), draw(json_values()))
    elif how == "strings":
        body = draw(hostile_strings(body))
    elif how == "truncate":
        text = dumps(body)
        return text[: draw(st.integers(0, max(0, len(text) - 1)))], how
    elif how == "nest":
        depth = draw(st.sampled_from([50, 400, 900, 990, 3000, 100_000]))
        text = dumps(_set(body, draw(st.sampled_from(_paths(body))), _NEST))
        return text.replace(json.dumps(_NEST), nested_json(depth), 1), how
    elif how == "huge":
        body = _set(body, draw(st.sampled_from(_paths(body)[1:] or [()])), draw(huge_value(body)))
    elif how == "wrong-root":
        body = draw(json_values(max_leaves=30))
    else:
        return draw(st.text(max_size=300)), how
    return dumps(body), how


@st.composite
def hostile_strings(draw: st.DrawFn, body: Any) -> Any:
    """`body` with some of its strings replaced by, or extended with, hostile text."""
    strings = [p for p in _paths(body) if p and isinstance(_get(body, p), str)]
    if not strings:
        return body
    for path in draw(st.lists(st.sampled_from(strings), min_size=1, max_size=6)):
        hostile = draw(hostile_text())
        old = _get(body, path)
        body = _set(body, path, draw(st.sampled_from([hostile, old + hostile, hostile + old])))
    return body


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


@st.composite
def huge_value(draw: st.DrawFn, body: Any) -> Any:
    """A value far larger than any catalog entry: a 2 MB string, or up to 20,000 copies of a
    piece of the document."""
    if draw(st.booleans()):
        return draw(st.sampled_from(["x", "é", "\U0001f600", " "])) * 2_000_000
    # A copy: the piece may contain the very place it is put (the root, say).
    piece = json.loads(dumps(_get(body, draw(st.sampled_from(_paths(body))))))
    # Up to ~4 MB of copies: the fetch layer caps bodies at 20 MB, and the time budget is
    # about parsers being linear, not about JSON decoding speed.
    return [piece] * max(1, min(20_000, 4_000_000 // len(dumps(piece))))


@st.composite
def mutated_html(draw: st.DrawFn, sample: Sample) -> tuple[str, str]:
    """A damaged copy of an HTML page: truncated, with hostile text or markup inserted, a
    JSON-LD block of damaged JSON, or tags nested very deeply."""
    text = _text(sample.path)
    how = draw(st.sampled_from(["truncate", "insert", "jsonld", "nest", "huge"]))
    at = draw(st.integers(0, len(text)))
    if how == "truncate":
        return text[:at], how
    if how == "insert":
        piece = draw(
            st.one_of(
                hostile_text(),
                st.sampled_from(
                    [
                        '<script type="application/ld+json">',
                        "</script>",
                        "<!--",
                        "<![CDATA[",
                        '<script type=\'application/ld+json\'>{"@type": "Course"',
                        "&#0;",
                        "&#x110000;",
                    ]
                ),
            )
        )
        return text[:at] + piece + text[at:], how
    if how == "jsonld":
        donor = draw(st.sampled_from([s for s in samples() if s.is_json]))
        block, _ = draw(mutated_json(donor))
        script = f'<script type="application/ld+json">{block}</script>'
        return text[:at] + script + text[at:], how
    if how == "nest":
        depth = draw(st.sampled_from([100, 1000, 50_000]))
        return text[:at] + "<div>" * depth + text[at:], how
    return text[:at] + "<p>" + "word " * 400_000 + "</p>" + text[at:], how


def mutated(sample: Sample) -> st.SearchStrategy[tuple[str, str]]:
    return mutated_json(sample) if sample.is_json else mutated_html(sample)
