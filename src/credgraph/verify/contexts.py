"""The JSON-LD contexts verification knows, shipped with the package, and a document loader
that serves only them: canonicalisation never goes to the network, so a stranger's document
cannot make us fetch anything, and a context we do not ship makes the result UNVERIFIABLE.

The files, where each came from (npm package and version, or repository, commit and path
with the file's SHA-256) and licences are listed in `contexts/index.json`. The CLR 2.0 context
(`https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json`) is in no registry package; it
is the copy 1EdTech's own validator vendors, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from credgraph.verify.errors import Unverifiable


@cache
def known_contexts() -> dict[str, dict[str, Any]]:
    """Context URL -> its entry in index.json (file, package, version, licence)."""
    index = json.loads(_read("index.json"))
    return {url: entry for url, entry in index.items() if not url.startswith("_")}


@cache
def _document(url: str) -> str:
    return _read(known_contexts()[url]["file"])


def _read(name: str) -> str:
    return resources.files("credgraph.verify").joinpath("contexts", name).read_text("utf-8")


def load_context(url: str, options: Any = None) -> dict[str, Any]:
    """pyld's document loader: a shipped context, or Unverifiable naming the URL."""
    if url not in known_contexts():
        raise Unverifiable(f"unknown context {url}")
    # A fresh copy each time: pyld may annotate what it is given.
    return {"contextUrl": None, "documentUrl": url, "document": json.loads(_document(url))}


def context_urls(value: Any) -> Iterator[str]:
    """Every context URL a JSON-LD document names, in embedded objects too."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                for ctx in item if isinstance(item, list) else [item]:
                    if isinstance(ctx, str):
                        yield ctx
            else:
                yield from context_urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from context_urls(item)


def first_unknown_context(document: Any) -> str | None:
    known = known_contexts()
    return next((url for url in context_urls(document) if url not in known), None)
