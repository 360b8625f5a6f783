"""SkillGap: what an occupation requires, what someone has, and what would close the gap."""

from __future__ import annotations

import strawberry

from credgraph.analysis.skill_gap import SkillGap as SkillGapModel
from credgraph.api.types.credential import Credential
from credgraph.api.types.occupation import Occupation
from credgraph.api.types.skill import Skill
from credgraph.model.records import Occupation as OccupationModel
from credgraph.model.records import Skill as SkillModel
from credgraph.model.views import CredentialView


@strawberry.type(
    description=(
        "The skills an occupation requires, split into those already held and those missing, "
        "with the fewest credentials (chosen greedily) that teach the missing ones."
    )
)
class SkillGap:
    occupation: Occupation = strawberry.field(description="The occupation aimed for.")
    required_skills: list[Skill] = strawberry.field(
        description="Every skill it requires, most important first."
    )
    covered_skills: list[Skill] = strawberry.field(
        description="Required skills already held, most important first."
    )
    missing_skills: list[Skill] = strawberry.field(
        description="Required skills not held yet, most important first."
    )
    recommendations: list[Credential] = strawberry.field(
        description=(
            "Credentials that together cover the missing skills, in the order chosen: each "
            "covers the most still-missing skills (ties: more transparent, then cheaper)."
        )
    )
    uncoverable_skills: list[Skill] = strawberry.field(
        description="Missing skills that no credential in the graph teaches or assesses."
    )

    @classmethod
    def from_model(
        cls,
        gap: SkillGapModel,
        occupation: OccupationModel,
        skills: dict[str, SkillModel],
        recommendations: list[CredentialView],
    ) -> SkillGap:
        def known(ids: tuple[str, ...]) -> list[Skill]:
            return [Skill.from_model(skills[i]) for i in ids if i in skills]

        return cls(
            occupation=Occupation.from_model(occupation),
            required_skills=known(tuple(r.skill_id for r in gap.required)),
            covered_skills=known(gap.covered),
            missing_skills=known(gap.missing),
            recommendations=[Credential.from_model(v) for v in recommendations],
            uncoverable_skills=known(gap.uncoverable),
        )
