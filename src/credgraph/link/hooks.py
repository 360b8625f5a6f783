"""What the crawl calls: build a linker from the store, link a parsed page's credentials.

    linker = await load_linker(store)            # once per crawl run
    result = link_result(linker, result)         # in SourceCrawl._store, before the upserts
    await relink(store, await load_linker(store))  # after a taxonomy import

Only credentials are linked: skills and occupations a document defines itself (a CTDL-ASN or
CASE framework) are nodes in their own right and are written as they are.
"""

from __future__ import annotations

import dataclasses

from credgraph.formats.base import ParseResult
from credgraph.link.index import load_index
from credgraph.link.resolve import DEFAULT_THRESHOLD, Linker
from credgraph.store.base import GraphStore


async def load_linker(store: GraphStore, *, threshold: float = DEFAULT_THRESHOLD) -> Linker:
    """A linker over the framework skills and occupations the store holds now."""
    return Linker(await load_index(store), threshold=threshold)


def link_result(linker: Linker | None, result: ParseResult) -> ParseResult:
    """`result` with its credentials' skill and occupation links resolved (a copy; the
    same object when there is no linker or nothing changed)."""
    if linker is None or not result.credentials:
        return result
    linked = [linker.link_credential(c) for c in result.credentials]
    if all(new is old for new, old in zip(linked, result.credentials, strict=True)):
        return result
    return dataclasses.replace(result, credentials=linked)
