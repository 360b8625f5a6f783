"""Issuer: an awarding body.

Scalars are copied from the record; its provenance and accreditors are built only when a
query selects them (most ask for a name and a country).
"""

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
    model: strawberry.Private[IssuerModel]

    @strawberry.field(
        description="Where the issuer's own record came from; null when only referenced."
    )
    def provenance(self) -> Provenance | None:
        found = self.model.provenance
        return Provenance.from_model(found) if found else None

    @strawberry.field(description="Bodies that accredit or quality-assure this issuer.")
    async def accredited_by(self, info: ApiInfo) -> list[Issuer]:
        ids = [a.id for a in self.model.accredited_by]
        found = await load_present(loaders_of(info).issuers, ids)
        return [Issuer.from_model(i) for i in found]

    @classmethod
    def from_model(cls, issuer: IssuerModel) -> Issuer:
        return cls(
            id=issuer.id,  # type: ignore[arg-type]  # strawberry.ID is a str; no call needed
            name=issuer.name,
            url=issuer.url,
            ctid=issuer.ctid,
            description=issuer.description,
            country=issuer.country,
            email=issuer.email,
            model=issuer,
        )
