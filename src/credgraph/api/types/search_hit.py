"""SearchHit: a node full-text search found, with the node itself."""

from __future__ import annotations

from typing import Annotated

import strawberry

from credgraph.api.context import ApiInfo, loaders_of
from credgraph.api.types.credential import Credential
from credgraph.api.types.issuer import Issuer
from credgraph.api.types.node_kind import NodeKind
from credgraph.api.types.occupation import Occupation
from credgraph.api.types.skill import Skill
from credgraph.model.views import SearchHit as SearchHitModel

SearchNode = Annotated[
    Credential | Issuer | Skill | Occupation,
    strawberry.union(
        "SearchNode",
        description="A node search can find: select its fields with `... on Credential` etc.",
    ),
]


@strawberry.type(
    description=(
        "One search result: its kind, id, name and score, and the node itself in `node` "
        "(select fields per kind with inline fragments)."
    )
)
class SearchHit:
    kind: NodeKind = strawberry.field(description="What kind of node matched.")
    id: strawberry.ID = strawberry.field(description="The node's id.")
    name: str = strawberry.field(description="The node's name.")
    score: float = strawberry.field(
        description=(
            "Relevance, higher is better. Comparable within one answer only: the scale "
            "depends on the store."
        )
    )

    @strawberry.field(
        description="The node that matched; null only if it was removed after the search."
    )
    async def node(self, info: ApiInfo) -> SearchNode | None:
        loaders, key = loaders_of(info), str(self.id)
        if self.kind is NodeKind.CREDENTIAL:
            view = await loaders.credentials.load(key)
            return Credential.from_model(view) if view else None
        if self.kind is NodeKind.ISSUER:
            issuer = await loaders.issuers.load(key)
            return Issuer.from_model(issuer) if issuer else None
        if self.kind is NodeKind.SKILL:
            skill = await loaders.skills.load(key)
            return Skill.from_model(skill) if skill else None
        occupation = await loaders.occupations.load(key)
        return Occupation.from_model(occupation) if occupation else None

    @classmethod
    def from_model(cls, hit: SearchHitModel) -> SearchHit:
        return cls(
            kind=NodeKind.from_model(hit.kind),
            id=strawberry.ID(hit.id),
            name=hit.name,
            score=hit.score,
        )
