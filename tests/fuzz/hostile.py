"""Hostile pieces the fuzz strategies put into documents: strings that break naive text
handling, values of the wrong type, and structures nested or sized beyond reason."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

# Strings that have broken parsers and stores elsewhere: NULs and controls, lone surrogates
# (as JSON escapes, the only way they reach us), bidi overrides, non-characters, a BOM in the
# middle, combining-mark pile-ups, look-alike digits and very long words.
HOSTILE_STRINGS: list[str] = [
    "\x00",
    "\x00\x01\x1f\x7f",
    "\ud800",
    "\udfff tail",
    "head \udbff",
    "\u202eevil\u202c",
    "\ufeffbom",
    "\uffff\ufffe",
    "e" + "\u0301" * 500,
    "\U0001f600" * 50,
    "١٢٣٤",
    "ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｏｒｇ",
    "http://[::1",
    "https://exa mple.org/a b",
    "https://example.org/" + "a" * 5000,
    "javascript:alert(1)",
    "urn:",
    "\r\n\r\n",
    "' OR 1=1 --",
    "${jndi:ldap://x}",
    "<script>alert(1)</script>",
    "NaN",
    "-0",
    "1e309",
    "9" * 400,
    "x" * 100_000,
]


def hostile_text() -> st.SearchStrategy[str]:
    """A hostile string, or arbitrary unicode text (surrogates included)."""
    return st.one_of(
        st.sampled_from(HOSTILE_STRINGS),
        st.text(st.characters(codec=None), max_size=40),
        st.text(max_size=40),
    )


def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON value, small: what a document field might hold instead of what we expect."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        hostile_text(),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(hostile_text(), inner, max_size=4)
        ),
        max_leaves=max_leaves,
    )


def nested_json(depth: int, leaf: str = "1") -> str:
    """`depth` levels of alternating arrays and objects around `leaf`, as JSON text."""
    opening = "".join("[" if i % 2 else '{"a":' for i in range(depth))
    closing = "".join("]" if i % 2 else "}" for i in reversed(range(depth)))
    return opening + leaf + closing


def dumps(value: Any) -> str:
    """JSON text that keeps lone surrogates as `\\u` escapes, as a hostile server would send."""
    return json.dumps(value, ensure_ascii=True)
