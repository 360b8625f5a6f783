"""SkillGapReason: one reason a credential is recommended to close a skill gap."""

from __future__ import annotations

import enum

import strawberry

from credgraph.analysis.skill_gap import COVERS, COVERS_EQUIVALENT, Reason
from credgraph.api.types.occupation import Occupation
from credgraph.api.types.skill import Skill
from credgraph.model.records import Occupation as OccupationModel
from credgraph.model.records import Skill as SkillModel


@strawberry.enum(description="What a recommended credential does for the gap.")
class SkillGapReasonKind(enum.Enum):
    COVERS = strawberry.enum_value(
        "COVERS", description="It teaches or assesses a missing skill itself."
    )
    COVERS_EQUIVALENT = strawberry.enum_value(
        "COVERS_EQUIVALENT",
        description="It teaches or assesses a skill equivalent to a missing one (`via`), "
        "such as ESCO's node for an O*NET skill.",
    )
    PREPARES_FOR = strawberry.enum_value(
        "PREPARES_FOR",
        description="It states the occupation, or one that stands for it (`relation`).",
    )

    @classmethod
    def from_model(cls, kind: str) -> SkillGapReasonKind:
        if kind == COVERS:
            return cls.COVERS
        return cls.COVERS_EQUIVALENT if kind == COVERS_EQUIVALENT else cls.PREPARES_FOR


@strawberry.type(description="One reason a credential is recommended.")
class SkillGapReason:
    kind: SkillGapReasonKind = strawberry.field(description="What the credential does.")
    skill: Skill | None = strawberry.field(description="The missing skill it covers.")
    via: Skill | None = strawberry.field(
        description="The credential's own skill that is equivalent to the missing one."
    )
    occupation: Occupation | None = strawberry.field(
        description="The occupation it states: the one asked about, or one standing for it."
    )
    relation: str | None = strawberry.field(
        description="How the equivalent skill is known (crosswalk, stated, lexical), or how "
        "the occupation stands for the one asked about (same, crosswalk, same SOC "
        "occupation, same ISCO-08 unit group)."
    )
    confidence: float = strawberry.field(description="How sure the reason is, 0-1.")

    @classmethod
    def from_model(
        cls,
        reason: Reason,
        skills: dict[str, SkillModel],
        occupations: dict[str, OccupationModel],
    ) -> SkillGapReason:
        def skill(i: str | None) -> Skill | None:
            return Skill.from_model(skills[i]) if i and i in skills else None

        occupation = occupations.get(reason.occupation_id or "")
        return cls(
            kind=SkillGapReasonKind.from_model(reason.kind),
            skill=skill(reason.skill_id),
            via=skill(reason.via),
            occupation=Occupation.from_model(occupation) if occupation else None,
            relation=reason.relation,
            confidence=reason.confidence,
        )
