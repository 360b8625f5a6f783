"""Provenance: where a record came from."""

from __future__ import annotations

from datetime import datetime

import strawberry

from credgraph.model.records import Provenance as ProvenanceModel


@strawberry.type(description="Where a record came from: source, document, format, fetch time.")
class Provenance:
    source: str = strawberry.field(description="Id of the configured source that found it.")
    url: str = strawberry.field(description="The document it was read from.")
    format: str = strawberry.field(
        description="The document's format (openbadges, ctdl, schemaorg, credly...)."
    )
    fetched_at: datetime = strawberry.field(description="When the document was fetched.")
    content_hash: str | None = strawberry.field(
        description="Hash of the record's content when read, to detect changes."
    )
    licence: str | None = strawberry.field(
        description="Licence or terms of use of the source, when known."
    )

    @classmethod
    def from_model(cls, p: ProvenanceModel) -> Provenance:
        return cls(
            source=p.source_id,
            url=p.url,
            format=p.format,
            fetched_at=p.fetched_at,
            content_hash=p.content_hash,
            licence=p.licence,
        )
