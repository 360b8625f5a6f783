"""SkillMatch: how one skill is found where another was asked for: the same node, or an
equivalent one."""

from __future__ import annotations

import enum

import strawberry

from credgraph.analysis.equivalents import SAME, Match
from credgraph.api.types.skill import Skill
from credgraph.model.records import Skill as SkillModel


@strawberry.enum(description="Whether two credentials' skills are one node or equivalent nodes.")
class SkillMatchKind(enum.Enum):
    SAME = strawberry.enum_value("SAME", description="The same skill node.")
    EQUIVALENT = strawberry.enum_value(
        "EQUIVALENT",
        description="Different nodes a crosswalk, a framework or a computed close match "
        "declares equivalent (`method`, `confidence`).",
    )

    @classmethod
    def from_model(cls, kind: str) -> SkillMatchKind:
        return cls.SAME if kind == SAME else cls.EQUIVALENT


@strawberry.type(description="A skill, and the skill that stands for it elsewhere.")
class SkillMatch:
    skill: Skill = strawberry.field(description="The skill asked for.")
    match: Skill = strawberry.field(description="The skill found: itself, or an equivalent.")
    kind: SkillMatchKind = strawberry.field(description="The same node, or an equivalent one.")
    method: str | None = strawberry.field(
        description="For an equivalent: crosswalk, stated or lexical; null for the same node."
    )
    confidence: float = strawberry.field(
        description="1 for the same node or a stated equivalence, else the match score."
    )

    @classmethod
    def from_model(cls, asked: SkillModel, match: Match, found: SkillModel) -> SkillMatch:
        return cls(
            skill=Skill.from_model(asked),
            match=Skill.from_model(found),
            kind=SkillMatchKind.from_model(match.kind),
            method=match.method,
            confidence=match.confidence,
        )
