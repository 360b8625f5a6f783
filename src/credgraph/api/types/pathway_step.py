"""PathwayStep: one credential on a pathway and the link that led to it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from credgraph.api.types.pathway_relation import PathwayRelation

if TYPE_CHECKING:
    from credgraph.api.types.credential import Credential


@strawberry.type(description="One credential on a pathway and the link that led to it.")
class PathwayStep:
    credential: Annotated[Credential, strawberry.lazy("credgraph.api.types.credential")] = (
        strawberry.field(description="The credential at this step.")
    )
    via: PathwayRelation | None = strawberry.field(
        description="The link from the previous step; null on the first step."
    )
