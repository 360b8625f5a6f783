"""RelatedSkill: a skill equivalent to another, stated or computed, with how sure that is."""

from __future__ import annotations

import strawberry

from credgraph.api.types.skill import Skill
from credgraph.model.records import Skill as SkillModel
from credgraph.store.equivalence import RelatedConcept


@strawberry.type(
    description=(
        "A skill equivalent to another: stated by a crosswalk or by its framework (score 1), "
        "or computed as a close match from the two skills' labels and descriptions."
    )
)
class RelatedSkill:
    skill: Skill = strawberry.field(description="The equivalent skill.")
    score: float = strawberry.field(
        description="How sure the equivalence is, 0-1: 1 when stated, the match score when "
        "computed."
    )
    method: str = strawberry.field(
        description="Who says so: crosswalk, stated (the skill's own framework), or the "
        "computation (lexical)."
    )
    stated: bool = strawberry.field(
        description="True when a crosswalk or framework states it; false when computed."
    )

    @classmethod
    def from_model(cls, related: RelatedConcept, skill: SkillModel) -> RelatedSkill:
        return cls(
            skill=Skill.from_model(skill),
            score=related.score,
            method=related.method,
            stated=related.stated,
        )
