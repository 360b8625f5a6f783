"""SkillFilter: which skills to list."""

from __future__ import annotations

import strawberry

from credgraph.api.arguments import unset_to_none


@strawberry.input(description="Which skills to list; every condition given must hold.")
class SkillFilter:
    text: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "Words in the skill's labels or description; all must match (of a longer text, "
            "the first 16)."
        ),
    )
    framework: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Only this framework, ignoring case and punctuation (ESCO, O*NET, onet...).",
    )

    def __post_init__(self) -> None:
        unset_to_none(self)
