"""Demand: how many active job postings ask for a skill, an occupation or a credential."""

from __future__ import annotations

import strawberry

from credgraph.api.context import ApiInfo, loaders_of
from credgraph.model.values import NodeKind


@strawberry.type(
    description=(
        "What employers ask for, from the job postings crawled: postings past their "
        "`validThrough`, or gone from their source, are not counted."
    )
)
class Demand:
    active_postings: int = strawberry.field(
        description="Active postings asking for it (a credential: by name, or by covering at "
        "least half of a posting's required skills)."
    )
    share: float = strawberry.field(description="Its share of all active postings, 0 to 1.")

    @classmethod
    async def load(cls, info: ApiInfo, kind: NodeKind, id: str) -> Demand:
        active, count = await loaders_of(info).demand.of(kind).load(id)
        return cls(active_postings=count, share=count / active if active else 0.0)
