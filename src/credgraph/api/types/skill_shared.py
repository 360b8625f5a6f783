"""SharedSkill: a skill every compared credential has, as one node or as equivalent nodes."""

from __future__ import annotations

import strawberry

from credgraph.analysis.comparison import SharedSkill as SharedSkillModel
from credgraph.api.types.skill import Skill
from credgraph.api.types.skill_match import SkillMatchKind
from credgraph.model.records import Skill as SkillModel


@strawberry.type(
    description=(
        "A skill every compared credential teaches or assesses: the same node, or nodes of "
        "different frameworks every two of which are declared equivalent directly (say, "
        "ESCO's and O*NET's Python)."
    )
)
class SharedSkill:
    skills: list[Skill] = strawberry.field(
        description="The node each compared credential has, in the order of `credentials`."
    )
    kind: SkillMatchKind = strawberry.field(description="One node, or equivalent nodes.")
    method: str | None = strawberry.field(
        description="For equivalent nodes, who says so (crosswalk, stated, lexical): the "
        "weakest edge's between two of them; null for one node."
    )
    confidence: float = strawberry.field(
        description="1 for one node or stated equivalences, else the weakest match score."
    )

    @classmethod
    def from_model(cls, shared: SharedSkillModel, skills: dict[str, SkillModel]) -> SharedSkill:
        return cls(
            skills=[Skill.from_model(skills[i]) for i in shared.skill_ids if i in skills],
            kind=SkillMatchKind.from_model(shared.match),
            method=shared.method,
            confidence=shared.confidence,
        )
