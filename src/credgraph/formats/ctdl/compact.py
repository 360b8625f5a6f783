"""Compact IRIs a CTDL document declares for its own resources, expanded before it is read.

A self-published CTDL document may name its resources with a prefix its `@context` declares
(`"res": "http://example.edu/resources/"`, then `"@id": "res:1ca80f84-..."` and
`"ceterms:isPartOf": ["res:..."]`): a JSON-LD processor reads those as the full IRIs. The
reader here compares ids as strings, so without this it found no credential with a URI and
skipped every one. Only prefixes used for resources are expanded: a prefix that also names a
property or a type (`ceterms:`) is the vocabulary's, and stays as it is.
"""

from __future__ import annotations

import re
from typing import Any

MAX_DEPTH = 64  # a document nested deeper is read as it is


def expanded(data: Any) -> Any:
    """`data` with its resource prefixes expanded, or `data` itself when it declares none."""
    prefixes = _declared(data)
    if not prefixes:
        return data
    vocabulary: set[str] = set()
    _vocabulary(data, vocabulary, 0)
    resources = {p: iri for p, iri in prefixes.items() if p not in vocabulary}
    return _expand(data, resources, 0) if resources else data


def _declared(data: Any) -> dict[str, str]:
    """Prefixes the document's top `@context` (an object, or a list holding objects) maps to
    an http(s) namespace ending in "/" or "#"."""
    context = data.get("@context") if isinstance(data, dict) else None
    found: dict[str, str] = {}
    for part in context if isinstance(context, list) else [context]:
        if isinstance(part, dict):
            for key, value in part.items():
                if (
                    isinstance(key, str)
                    and not key.startswith("@")
                    and isinstance(value, str)
                    and value.startswith(("http://", "https://"))
                    and value.endswith(("/", "#"))
                ):
                    found[key] = value
    return found


def _vocabulary(value: Any, into: set[str], depth: int) -> None:
    """The prefixes used by property names and `@type` values."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(key, str) and ":" in key:
                into.add(key.split(":", 1)[0])
            if key == "@type":
                for kind in inner if isinstance(inner, list) else [inner]:
                    if isinstance(kind, str) and ":" in kind:
                        into.add(kind.split(":", 1)[0])
            elif key != "@context":
                _vocabulary(inner, into, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _vocabulary(item, into, depth + 1)


def _expand(value: Any, prefixes: dict[str, str], depth: int) -> Any:
    """Ids and references expanded: a string with no space, never one of a text property
    ("res: Residential Electrician" as a name stays a name), a language map or `@value`."""
    if depth > MAX_DEPTH:
        return value
    if isinstance(value, str):
        prefix, colon, rest = value.partition(":")
        spaced = any(ch.isspace() for ch in value)
        if colon and prefix in prefixes and rest and not rest.startswith("//") and not spaced:
            return prefixes[prefix] + rest
        return value
    if isinstance(value, dict):
        if value and _LANGUAGE_MAP.fullmatch(" ".join(map(str, value))):
            return value
        return {
            key: inner if _kept(key) else _expand(inner, prefixes, depth + 1)
            for key, inner in value.items()
        }
    if isinstance(value, list):
        return [_expand(item, prefixes, depth + 1) for item in value]
    return value


def _kept(key: Any) -> bool:
    """A key whose value is never an id: JSON-LD's own, or a text property."""
    if not isinstance(key, str):
        return True
    if key in ("@context", "@type", "@value", "@language"):
        return True
    return key.rsplit(":", 1)[-1] in _TEXT_PROPERTIES


_TEXT_PROPERTIES = frozenset(
    {"name", "description", "alternateName", "keyword", "comment", "prefLabel", "altLabel",
     "competencyText", "competencyLabel", "codedNotation", "ctid"}
)  # fmt: skip
# A language map's keys: "en", "en-US", "es"... (a node's keys hold a colon or an @)
_LANGUAGE_MAP = re.compile(
    r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*(?: [A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)*"
)
