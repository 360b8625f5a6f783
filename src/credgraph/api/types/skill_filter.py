"""SkillFilter: which skills to list."""

from __future__ import annotations

import strawberry

from credgraph.api.arguments import unset_to_none
from credgraph.model.ids import framework_key
from credgraph.model.records import Skill


@strawberry.input(description="Which skills to list; every condition given must hold.")
class SkillFilter:
    text: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Words in the skill's labels or description (required for now: see `skills`).",
    )
    framework: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Only this framework, ignoring case and punctuation (ESCO, O*NET, onet...).",
    )

    def __post_init__(self) -> None:
        unset_to_none(self)

    def keeps(self, skill: Skill) -> bool:
        if self.framework is None:
            return True
        return skill.framework is not None and framework_key(skill.framework) == framework_key(
            self.framework
        )
