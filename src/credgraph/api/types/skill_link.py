"""SkillLink: how a credential is linked to a skill."""

from __future__ import annotations

import strawberry

from credgraph.api.types.skill import Skill
from credgraph.api.types.skill_relation import SkillRelation
from credgraph.model.records import SkillLink as SkillLinkModel


@strawberry.type(
    description="A credential's link to a skill: teaches or assesses, and how the link was made."
)
class SkillLink:
    skill: Skill = strawberry.field(description="The skill.")
    relation: SkillRelation = strawberry.field(description="Teaches or assesses.")
    method: str | None = strawberry.field(
        description="How the skill was matched to its framework (exact-uri, label...)."
    )
    confidence: float | None = strawberry.field(
        description="How sure the match is, 0-1; null when not scored."
    )

    @classmethod
    def from_model(cls, link: SkillLinkModel) -> SkillLink:
        return cls(
            skill=Skill.from_model(link.skill),
            relation=SkillRelation.from_model(link.relation),
            method=link.method,
            confidence=link.confidence,
        )
