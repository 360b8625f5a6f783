"""PathwayComponent: one component of an issuer's published pathway."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from credgraph.api.context import ApiInfo, loaders_of
from credgraph.model.pathway import PathwayComponent as PathwayComponentModel

if TYPE_CHECKING:
    from credgraph.api.types.credential import Credential


@strawberry.type(
    description="A component of a published pathway: a credential, a course or "
    "another step, kept by name when the graph does not hold what it names."
)
class PathwayComponent:
    id: strawberry.ID = strawberry.field(description="The component's id in its document.")
    name: str = strawberry.field(description="Its name as published.")
    kind: str = strawberry.field(
        description="Its CTDL type: CredentialComponent, CourseComponent, a credential class..."
    )
    destination: bool = strawberry.field(description="Whether the pathway ends here.")
    leads_to: list[strawberry.ID] = strawberry.field(
        description="Ids of the components that come after it."
    )
    credential_id: strawberry.Private[str | None]

    @strawberry.field(
        description="The credential it stands for; null when it stands for none "
        "or for one the graph does not hold."
    )
    async def credential(
        self, info: ApiInfo
    ) -> Annotated[Credential, strawberry.lazy("credgraph.api.types.credential")] | None:
        from credgraph.api.types.credential import Credential  # the two types refer to each other

        if self.credential_id is None:
            return None
        view = await loaders_of(info).credentials.load(self.credential_id)
        return Credential.from_model(view) if view else None

    @classmethod
    def from_model(cls, c: PathwayComponentModel) -> PathwayComponent:
        return cls(
            id=strawberry.ID(c.id),
            name=c.name,
            kind=c.kind,
            destination=c.destination,
            leads_to=[strawberry.ID(i) for i in c.leads_to],
            credential_id=c.credential,
        )
