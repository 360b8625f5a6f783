"""The credential definition an award is for, normalised by the Open Badges parser exactly
like a crawled one, and mapped onto the graph: the stored Credential node when we have it
(by id or URL), else — when the award verified — ingested as a new credential with
provenance source `verified-submission`, its skills and occupations linked to the graph's
framework nodes beforehand (`verify.linking`, the crawl's linker). An award that did not
verify never writes to the graph: a forged document must not be able to plant definitions.
Nor may a valid one plant a definition under another publisher's URL: a definition is added
only when its web ids are on a host that vouches for it (`unvouched`)."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from credgraph.formats.base import Document, ParseError
from credgraph.formats.openbadges import parse
from credgraph.model.crawl import VERIFIED_SUBMISSION
from credgraph.model.records import Credential, Issuer
from credgraph.model.transparency import transparency_of
from credgraph.store.base import GraphStore
from credgraph.verify.limits import MAX_ALIGNMENTS
from credgraph.verify.result import Achievement

SOURCE_ID = VERIFIED_SUBMISSION
_NO_URL = "urn:credgraph:verified-submission"


@dataclass(frozen=True, slots=True)
class Parsed:
    definitions: list[Credential]
    issuer: Issuer | None
    warnings: list[str]
    most_alignments: int  # the longest `alignment` list found, before it was capped


def parse_definition(document: dict[str, Any], url: str | None, now: datetime) -> Parsed:
    """Runs in a check worker (the Open Badges parser costs CPU in proportion to the document):
    the definitions of `document`, each `alignment` list cut to MAX_ALIGNMENTS first."""
    capped, most = _capped_alignments(document)
    text = json.dumps(capped)
    page = Document(url=url or _NO_URL, text=text, source_id=SOURCE_ID, format="openbadges",
                    fetched_at=now)  # fmt: skip
    try:
        parsed = parse(page)
    except ParseError as exc:
        return Parsed([], None, [str(exc)], most)
    issuer = (
        parsed.issuers[0]
        if parsed.issuers
        else next((c.issuer for c in parsed.credentials if c.issuer is not None), None)
    )
    return Parsed(parsed.credentials, issuer, parsed.warnings, most)


def _capped_alignments(value: Any) -> tuple[Any, int]:
    """`value` with every `alignment` list cut to MAX_ALIGNMENTS, and the longest found (the
    document's depth is bounded before it gets here, MAX_DEPTH)."""
    if isinstance(value, list):
        items = [_capped_alignments(v) for v in value]
        return [v for v, _ in items], max((m for _, m in items), default=0)
    if not isinstance(value, dict):
        return value, 0
    most, out = 0, {}
    for key, item in value.items():
        if key == "alignment" and isinstance(item, list):
            most = max(most, len(item))
            item = item[:MAX_ALIGNMENTS]
        out[key], found = _capped_alignments(item)
        most = max(most, found)
    return out, most


async def map_to_graph(
    store: GraphStore | None,
    definitions: Sequence[Credential],
    *,
    ingest: bool,
    refused: Collection[str] = (),
) -> list[Achievement]:
    """Each definition with the stored node it is; one the store lacks is added when `ingest`
    (the award verified) and its id is not among those `refused` (`unvouched`)."""
    if store is None:
        return unmapped(definitions)
    mapped = []
    for definition in definitions:
        keys = [k for k in (definition.id, definition.url, definition.ctid) if k]
        resolved = await store.resolve_credential_ids(keys)
        stored_id = next((resolved[k] for k in keys if k in resolved), None)
        ingested = False
        if stored_id is None and ingest and definition.id not in refused:
            await store.upsert_credentials([definition])
            stored_id, ingested = definition.id, True
        views = await store.get_credentials([stored_id]) if stored_id else []
        view = views[0] if views else None
        score = view.transparency if view else transparency_of(definition)
        mapped.append(Achievement(definition, view, ingested, score))
    return mapped


def unmapped(definitions: Sequence[Credential]) -> list[Achievement]:
    """`definitions` as the award gives them, none found in the graph nor added to it."""
    return [Achievement(d, None, False, transparency_of(d)) for d in definitions]


def unvouched(
    definition: Credential, issuer_id: str | None, fetched_from: str | None
) -> str | None:
    """The first web id of `definition` (its id, its URL) on no host that vouches for it, or
    None. A host vouches when the definition was read from a URL on it (`fetched_from`), or
    when it is the issuer's: an https issuer id's, or a did:web's (the award's proof was
    checked against that issuer), its subdomains included. A did:key issuer vouches for no
    web id: anyone can make one, and sign a copy of another publisher's badge with it."""
    hosts = {h for h in (_web_host(fetched_from), _web_host(issuer_id)) if h}
    for key in (definition.id, definition.url):
        host = _web_host(key) if key and key.lower().startswith(("http://", "https://")) else None
        if host is not None and not any(host == h or host.endswith("." + h) for h in hosts):
            return key
    return None


def _web_host(identifier: str | None) -> str | None:
    """The host an http(s) URL or a did:web names, lower-cased; None for anything else."""
    if not identifier:
        return None
    if identifier.lower().startswith("did:web:"):
        return unquote(identifier[8:].split(":", 1)[0]).split(":", 1)[0].lower() or None
    try:
        parts = urlsplit(identifier)
    except ValueError:
        return None
    return parts.hostname if parts.scheme.lower() in ("http", "https") else None
