"""Open Badges alignments whose target is a credential the graph holds, by its URL.

An alignment without a CTDL credential `targetType` is read as a skill (`formats.openbadges.align`):
the parser cannot know what the URL names. Before a document's records are stored, the URLs
of those alignments are looked up among stored credentials (one store call per document);
one that names a credential becomes a preparation link instead of a skill.
"""

from __future__ import annotations

from dataclasses import replace

from credgraph.formats.base import ParseResult
from credgraph.formats.openbadges.align import METHOD
from credgraph.store.ports import GraphReader


async def credential_alignments(store: GraphReader, result: ParseResult) -> ParseResult:
    urls = sorted(
        {
            link.skill.uri
            for c in result.credentials
            for link in c.skills
            if link.method == METHOD and link.skill.uri
        }
    )
    if not urls:
        return result
    held = await store.resolve_credential_ids(urls)
    if not held:
        return result
    credentials = []
    for c in result.credentials:
        moved = [
            held[link.skill.uri]
            for link in c.skills
            if link.method == METHOD and link.skill.uri in held
        ]
        if not moved:
            credentials.append(c)
            continue
        kept = tuple(
            link for link in c.skills if not (link.method == METHOD and link.skill.uri in held)
        )
        targets = tuple(t for t in dict.fromkeys((*c.prepares_for, *moved)) if t != c.id)
        credentials.append(replace(c, skills=kept, prepares_for=targets))
    return replace(result, credentials=credentials)
