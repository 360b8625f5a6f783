"""Issuer: an awarding body."""

from __future__ import annotations

import strawberry

from credgraph.api.context import ApiInfo, loaders_of
from credgraph.api.loaders import load_present
from credgraph.api.types.provenance import Provenance
from credgraph.model.records import Issuer as IssuerModel


@strawberry.type(
    description="An awarding body: university, training provider, certification body, platform."
)
class Issuer:
    id: strawberry.ID = strawberry.field(
        description="Stable id: the CTID, else the issuer's normalised URI, else `issuer:<name>`."
    )
    name: str = strawberry.field(description="The issuer's name.")
    url: str | None = strawberry.field(description="The issuer's web site or profile.")
    ctid: str | None = strawberry.field(description="Credential Engine CTID, when registered.")
    description: str | None = strawberry.field(description="What the issuer says about itself.")
    country: str | None = strawberry.field(description="Country, as the source states it.")
    email: str | None = strawberry.field(description="Public contact address, when published.")
    provenance: Provenance | None = strawberry.field(
        description="Where the issuer's own record came from; null when only referenced."
    )
    accredited_by_ids: strawberry.Private[tuple[str, ...]]

    @strawberry.field(description="Bodies that accredit or quality-assure this issuer.")
    async def accredited_by(self, info: ApiInfo) -> list[Issuer]:
        found = await load_present(loaders_of(info).issuers, self.accredited_by_ids)
        return [Issuer.from_model(i) for i in found]

    @classmethod
    def from_model(cls, issuer: IssuerModel) -> Issuer:
        return cls(
            id=strawberry.ID(issuer.id),
            name=issuer.name,
            url=issuer.url,
            ctid=issuer.ctid,
            description=issuer.description,
            country=issuer.country,
            email=issuer.email,
            provenance=Provenance.from_model(issuer.provenance) if issuer.provenance else None,
            accredited_by_ids=tuple(a.id for a in issuer.accredited_by),
        )
