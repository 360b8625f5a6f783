"""What the crawl calls: build a linker from the store, link a parsed page's credentials,
and learn the framework nodes the page brings.

    linker = await load_linker(store)            # once per crawl run
    result, arrived = link_page(linker, result)  # in SourceRun._store, before the upserts
    await relink_mentions(store, linker, arrived)  # after them: earlier mentions now resolve
    await relink(store, await load_linker(store))  # after a taxonomy import

Only credentials are linked: skills and occupations a document defines itself (a CTDL-ASN or
CASE framework) are nodes in their own right and are written as they are. A skill is a node
whatever brought it: a framework node a credential's alignment names (an ESCO URI, an O*NET
code) joins the linker's index as it is stored, as do a framework document's own nodes, so
that the next mention of its label, on this page or any later one, links to it.
"""

from __future__ import annotations

import dataclasses

from credgraph.formats.base import ParseResult
from credgraph.link.index import load_index
from credgraph.link.resolve import DEFAULT_THRESHOLD, Linker
from credgraph.model.records import Occupation, Skill
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


def page_nodes(result: ParseResult) -> list[Skill | Occupation]:
    """The skills and occupations a page defines as records of their own."""
    return [*result.skills, *result.occupations]


def mentioned_nodes(result: ParseResult) -> list[Skill | Occupation]:
    """The skills and occupations the page's credentials' links name."""
    nodes: list[Skill | Occupation] = []
    for c in result.credentials:
        nodes.extend(link.skill for link in c.skills)
        nodes.extend(link.occupation for link in c.occupations)
    return nodes


def link_page(
    linker: Linker | None, result: ParseResult
) -> tuple[ParseResult, list[Skill | Occupation]]:
    """`result` linked, and the framework nodes it brought that the linker learned. A page
    whose own alignments bring a node links its other mentions of that node's labels too."""
    if linker is None:
        return result, []
    linked = link_result(linker, result)
    arrived = linker.learn(page_nodes(linked))
    arrived += linker.learn(mentioned_nodes(linked), from_mentions=True)
    if arrived:
        linked = link_result(linker, linked)
    return linked, arrived
