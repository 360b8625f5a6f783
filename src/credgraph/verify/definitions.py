"""The credential definition an award is for, normalised by the Open Badges parser exactly
like a crawled one, and mapped onto the graph: the stored Credential node when we have it
(by id or URL), else — when the award verified — ingested as a new credential with
provenance source `verified-submission`, its skills and occupations linked to the graph's
framework nodes beforehand (`verify.linking`, the crawl's linker). An award that did not
verify never writes to the graph: a forged document must not be able to plant definitions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from credgraph.formats.base import Document, ParseError
from credgraph.formats.openbadges import parse
from credgraph.model.records import Credential, Issuer
from credgraph.model.transparency import transparency_of
from credgraph.store.base import GraphStore
from credgraph.verify.draft import Draft
from credgraph.verify.result import Achievement

SOURCE_ID = "verified-submission"
_NO_URL = "urn:credgraph:verified-submission"


def normalise(draft: Draft, now: datetime) -> tuple[list[Credential], Issuer | None, list[str]]:
    """(definitions, issuer, parser warnings) of what the draft gathered."""
    if draft.definition_document is None:
        return [], None, []
    document = Document(
        url=draft.definition_url or _NO_URL,
        text=json.dumps(draft.definition_document),
        source_id=SOURCE_ID,
        format="openbadges",
        fetched_at=now,
    )
    try:
        parsed = parse(document)
    except ParseError as exc:
        return [], None, [str(exc)]
    issuer = (
        parsed.issuers[0]
        if parsed.issuers
        else next((c.issuer for c in parsed.credentials if c.issuer is not None), None)
    )
    return parsed.credentials, issuer, parsed.warnings


async def map_to_graph(
    store: GraphStore | None, definitions: Sequence[Credential], *, ingest: bool
) -> list[Achievement]:
    if store is None:
        return [Achievement(d, None, False, transparency_of(d)) for d in definitions]
    mapped = []
    for definition in definitions:
        keys = [k for k in (definition.id, definition.url, definition.ctid) if k]
        resolved = await store.resolve_credential_ids(keys)
        stored_id = next((resolved[k] for k in keys if k in resolved), None)
        ingested = False
        if stored_id is None and ingest:
            await store.upsert_credentials([definition])
            stored_id, ingested = definition.id, True
        views = await store.get_credentials([stored_id]) if stored_id else []
        view = views[0] if views else None
        score = view.transparency if view else transparency_of(definition)
        mapped.append(Achievement(definition, view, ingested, score))
    return mapped
