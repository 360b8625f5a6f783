"""ExportSelection: which part of the graph `exportSubgraph` returns (the CLI's and
`/export`'s selection language). Seeds are at most the export's `MAX_SEEDS` (500); each
filter list at most `MAX_LISTED` (100)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from credgraph.api.arguments import MAX_LISTED, listed, unset_to_none
from credgraph.api.types.credential_type import CredentialType
from credgraph.export import Selection
from credgraph.export.selection import MAX_SEEDS


@strawberry.input(description="A subgraph: the whole graph, or seeds and a depth; then filters.")
class ExportSelection:
    seeds: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Start from these nodes (ids, CTIDs, URLs, URIs or O*NET-SOC codes; "
        f"at most {MAX_SEEDS}); none: the whole graph.",
    )
    depth: int = strawberry.field(default=1, description="Hops from the seeds (0-6).")
    types: list[CredentialType] | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"Only credentials of these kinds (at most {MAX_LISTED}).",
    )
    issuers: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Only credentials these issuers award (ids, CTIDs, URLs or URIs, read as "
        f"seeds are; at most {MAX_LISTED}).",
    )
    skills: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Only credentials teaching or assessing these skills (ids or URIs, read as "
        f"seeds are; at most {MAX_LISTED}).",
    )
    occupation_prefix: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Only credentials preparing for occupations whose code starts so ('15-').",
    )
    changed_since: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Only credentials changed since then."
    )
    exclude_stale: bool = strawberry.field(
        default=False, description="Leave out credentials their source no longer lists."
    )

    def __post_init__(self) -> None:
        unset_to_none(self)
        listed(self.seeds, "selection.seeds", MAX_SEEDS)
        listed(self.types, "selection.types")
        listed(self.issuers, "selection.issuers")
        listed(self.skills, "selection.skills")

    def to_model(self) -> Selection:
        return Selection(
            seeds=tuple(str(s) for s in self.seeds or ()),
            depth=self.depth,
            types=tuple(t.to_model() for t in self.types or ()),
            issuers=tuple(str(i) for i in self.issuers or ()),
            skills=tuple(str(s) for s in self.skills or ()),
            occupation_prefix=self.occupation_prefix,
            changed_since=self.changed_since,
            exclude_stale=self.exclude_stale,
        )
