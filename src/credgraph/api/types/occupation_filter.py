"""OccupationFilter: which occupations to list."""

from __future__ import annotations

import strawberry

from credgraph.api.arguments import unset_to_none


@strawberry.input(description="Which occupations to list; every condition given must hold.")
class OccupationFilter:
    text: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "Words in the occupation's titles or description; all must match (of a longer "
            "text, the first 16)."
        ),
    )
    code_prefix: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Only codes starting with this, such as 15- for computer and mathematical.",
    )

    def __post_init__(self) -> None:
        unset_to_none(self)
