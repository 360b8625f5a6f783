"""The sources.toml loader over damaged and generated files: every file either loads or
raises ConfigError listing its problems, quickly; nothing else escapes."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credgraph.config.sources import _CRAWLER_KEYS, _SOURCE_KEYS, Config, parse_config
from credgraph.errors import ConfigError
from tests.fuzz.hostile import hostile_text

EXAMPLE = Path(__file__).resolve().parents[2] / "sources.example.toml"
BUDGET_SECONDS = 2.0


def toml_value(value: Any) -> str:
    """A TOML literal for a generated value (strings as JSON-style escapes, which TOML's basic
    strings share; a lone surrogate escape is invalid TOML, which the loader must report)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            "nan"
            if math.isnan(value)
            else ("inf" if value > 0 else "-inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.booleans(),
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.sampled_from([10**400, -(10**400)]),  # past any float
        st.floats(),
        hostile_text(),
        st.sampled_from(
            [
                "https://example.org/a",
                "http://[::1",
                "http://[",
                "https://:99999/",
                "http://h:-1/",
                "0 3 * * *",
                "61 * * * *",
                "*/0 * * * *",
                "6h",
                "99999999999999999999d",
                "0s",
                "1e9h",
                "openbadges",
                "onet",
                "a-b",
            ]
        ),
    )
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=6)


@st.composite
def config_text(draw: st.DrawFn) -> str:
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("[crawler]")
        keys = st.one_of(
            st.sampled_from(sorted(_CRAWLER_KEYS)), st.from_regex(r"[a-z_]{1,12}", fullmatch=True)
        )
        for key in draw(st.lists(keys, max_size=6, unique=True)):
            lines.append(f"{key} = {toml_value(draw(values()))}")
    for _ in range(draw(st.integers(0, 3))):
        lines.append("[[source]]")
        keys = st.one_of(
            st.sampled_from(sorted(_SOURCE_KEYS)), st.from_regex(r"[a-z]{1,8}", fullmatch=True)
        )
        for key in draw(st.lists(keys, max_size=7, unique=True)):
            lines.append(f"{key} = {toml_value(draw(values()))}")
    return "\n".join(lines) + "\n"


@st.composite
def damaged_example(draw: st.DrawFn) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    at = draw(st.integers(0, len(text)))
    how = draw(st.sampled_from(["truncate", "insert", "drop-line", "nest"]))
    if how == "truncate":
        return text[:at]
    if how == "insert":
        return (
            text[:at]
            + draw(
                st.one_of(
                    hostile_text(),
                    st.sampled_from(
                        [
                            '"',
                            "'''",
                            "[",
                            "[[",
                            "]]",
                            "=",
                            "\n[crawler]\n",
                            "\n[[source]]\n",
                            "\\u0000",
                        ]
                    ),
                )
            )
            + text[at:]
        )
    if how == "drop-line":
        lines = text.splitlines(keepends=True)
        del lines[draw(st.integers(0, len(lines) - 1))]
        return "".join(lines)
    depth = draw(st.sampled_from([100, 1000, 100_000]))
    return text[:at] + "\nx = " + "[" * depth + "]" * depth + "\n" + text[at:]


def load_within_budget(text: str, placeholders: bool = False) -> Config | ConfigError:
    started = time.process_time()
    try:
        answer: Config | ConfigError = parse_config(text, "fuzz.toml", placeholders=placeholders)
    except ConfigError as exc:
        assert exc.problems and all(p.startswith("fuzz.toml") for p in exc.problems), exc
        answer = exc
    assert time.process_time() - started < BUDGET_SECONDS
    return answer


@given(config_text())
def test_a_generated_sources_file_loads_or_raises_config_error(text: str) -> None:
    load_within_budget(text)


@given(damaged_example())
def test_a_damaged_example_file_loads_or_raises_config_error(text: str) -> None:
    load_within_budget(text)


def test_the_example_file_loads() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert isinstance(load_within_budget(text, placeholders=True), Config)


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 100_000 + "]" * 100_000,  # RecursionError out of tomllib
        "x = " + "9" * 5000,  # ValueError: past int()'s 4,300 digits
        "[crawler]\nmax_pages = " + "9" * 400,  # OverflowError converting to float
        "[crawler]\ndelay_seconds = inf",  # accepted, and every crawl would wait forever
        "[crawler]\ntimeout_seconds = nan",
        '[[source]]\nid = "a"\nformat = "ctdl"\nurl = "http://[::1"',  # ValueError from urlsplit
    ],
)
def test_what_the_fuzzer_found_is_a_config_error(text: str) -> None:
    assert isinstance(load_within_budget(text), ConfigError)
