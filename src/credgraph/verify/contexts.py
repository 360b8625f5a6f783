"""The JSON-LD contexts verification knows, shipped with the package, and a document loader
that serves only them: canonicalisation never goes to the network, so a stranger's document
cannot make us fetch anything, and a context we do not ship makes the result UNVERIFIABLE.

Every file is a byte-for-byte copy of a file in a public repository (the W3C specification
repositories, 1EdTech's, the Ed25519Signature2020 suite's), named in `contexts/index.json`
with its commit, path, licence and SHA-256. The hash pins the bytes: a file that differs from
it is refused when it is first read (a context is what decides which bytes were signed), and a
test checks every entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from credgraph.verify.errors import Unverifiable


@cache
def known_contexts() -> dict[str, dict[str, Any]]:
    """Context URL -> its entry in index.json (file, repository, commit, sha256, licence)."""
    index = json.loads(_read("index.json").decode("utf-8"))
    return {url: entry for url, entry in index.items() if not url.startswith("_")}


@cache
def _document(url: str) -> str:
    entry = known_contexts()[url]
    return pinned(url, entry, _read(entry["file"]))


def pinned(url: str, entry: dict[str, Any], data: bytes) -> str:
    """`data` as text when its SHA-256 is the one `entry` pins; Unverifiable otherwise."""
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        # A packaging fault, not the document's: but verifying with other bytes than the
        # pinned ones could turn a forgery VALID, so the context counts as unknown.
        raise Unverifiable(f"the shipped copy of {url} is not the pinned file (SHA-256 differs)")
    return data.decode("utf-8")


def _read(name: str) -> bytes:
    return resources.files("credgraph.verify").joinpath("contexts", name).read_bytes()


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
