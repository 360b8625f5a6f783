"""PublishedPathway: an issuer's own pathway document the credential appears in."""

from __future__ import annotations

import strawberry

from credgraph.api.types.pathway_component import PathwayComponent
from credgraph.model.pathway import PublishedPathway as PublishedPathwayModel


@strawberry.type(
    description="A pathway an issuer published (CTDL Pathway): its components in "
    "order, some standing for credentials."
)
class PublishedPathway:
    id: strawberry.ID = strawberry.field(description="Its CTID, else its document URI.")
    name: str = strawberry.field(description="Its name as published.")
    url: str | None = strawberry.field(description="Its public page.")
    ctid: str | None = strawberry.field(description="Credential Engine CTID, when registered.")
    description: str | None = strawberry.field(description="What the issuer says it is.")
    components: list[PathwayComponent] = strawberry.field(description="Its components.")

    @classmethod
    def from_model(cls, p: PublishedPathwayModel) -> PublishedPathway:
        return cls(
            id=strawberry.ID(p.id),
            name=p.name,
            url=p.url,
            ctid=p.ctid,
            description=p.description,
            components=[PathwayComponent.from_model(c) for c in p.components],
        )
