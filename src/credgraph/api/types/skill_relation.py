"""SkillRelation: whether a credential teaches a skill or assesses it."""

from __future__ import annotations

import enum

import strawberry

from credgraph.model.values import SkillRelation as SkillRelationModel


@strawberry.enum(description="How a credential relates to a skill.")
class SkillRelation(enum.Enum):
    TEACHES = strawberry.enum_value("TEACHES", description="The credential teaches the skill.")
    ASSESSES = strawberry.enum_value(
        "ASSESSES", description="The credential assesses (tests) the skill."
    )

    @classmethod
    def from_model(cls, value: SkillRelationModel) -> SkillRelation:
        return cls[value.name]
