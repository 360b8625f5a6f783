"""SkillRequirement: a skill an occupation requires, and how much."""

from __future__ import annotations

import strawberry

from credgraph.api.types.skill import Skill
from credgraph.model.records import Skill as SkillModel
from credgraph.model.views import RequiredSkill


@strawberry.type(description="A skill an occupation requires, with how important it is.")
class SkillRequirement:
    skill: Skill = strawberry.field(description="The required skill.")
    importance: float | None = strawberry.field(
        description=(
            "Importance as the taxonomy states it: O*NET importance (1-5), or 1 for ESCO "
            "essential and 0.5 for optional skills; null when not stated."
        )
    )
    relation: str | None = strawberry.field(
        description="The taxonomy's word for the link, such as essential or optional."
    )

    @classmethod
    def from_model(cls, required: RequiredSkill, skill: SkillModel) -> SkillRequirement:
        return cls(
            skill=Skill.from_model(skill),
            importance=required.importance,
            relation=required.relation,
        )
