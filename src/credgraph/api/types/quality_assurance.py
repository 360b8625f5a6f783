"""QualityAssurance: a QA body, its type and its relation to a credential."""

from __future__ import annotations

import strawberry

from credgraph.api.context import ApiInfo, loaders_of
from credgraph.api.types.issuer import Issuer
from credgraph.api.types.quality_relation import QualityRelation
from credgraph.model.stacking import QualityAssurance as QualityAssuranceModel


@strawberry.type(description="A quality-assurance body and how it stands to the credential.")
class QualityAssurance:
    relation: QualityRelation = strawberry.field(description="Accredited, recognized...")
    name: str = strawberry.field(description="The body's name as published.")
    organisation_type: str | None = strawberry.field(
        description="The body's type as published, such as QACredentialOrganization."
    )
    organisation_id: strawberry.Private[str]

    @strawberry.field(description="The body as an issuer node; null if it is not stored.")
    async def organisation(self, info: ApiInfo) -> Issuer | None:
        found = await loaders_of(info).issuers.load(self.organisation_id)
        return Issuer.from_model(found) if found else None

    @classmethod
    def from_model(cls, q: QualityAssuranceModel) -> QualityAssurance:
        return cls(
            relation=QualityRelation.from_model(q.relation),
            name=q.name,
            organisation_type=q.organisation_type,
            organisation_id=q.organisation,
        )
