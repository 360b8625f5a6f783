"""SkillGap: what an occupation requires, what someone has, and what would close the gap."""

from __future__ import annotations

import strawberry

from credgraph.analysis.skill_gap import SkillGap as SkillGapModel
from credgraph.api.types.credential import Credential
from credgraph.api.types.occupation import Occupation
from credgraph.api.types.skill import Skill
from credgraph.api.types.skill_gap_recommendation import SkillGapRecommendation
from credgraph.api.types.skill_match import SkillMatch
from credgraph.model.records import Occupation as OccupationModel
from credgraph.model.records import Skill as SkillModel
from credgraph.model.views import CredentialView


@strawberry.type(
    description=(
        "The skills an occupation requires, split into those already held (the skill or an "
        "equivalent of it) and those missing, with the credentials that would close the gap: "
        "first the fewest (chosen greedily) that teach the missing skills, then those that "
        "teach equivalents of the rest, then those that state the occupation itself."
    )
)
class SkillGap:
    occupation: Occupation = strawberry.field(description="The occupation aimed for.")
    required_skills: list[Skill] = strawberry.field(
        description="Every skill it requires, most important first."
    )
    covered_skills: list[Skill] = strawberry.field(
        description="Required skills already held, as themselves or through an equivalent "
        "(see `coveredThrough`), most important first."
    )
    covered_through: list[SkillMatch] = strawberry.field(
        description="Required skills held only through an equivalent skill, with it."
    )
    missing_skills: list[Skill] = strawberry.field(
        description="Required skills not held yet, most important first."
    )
    recommendations: list[Credential] = strawberry.field(
        description=(
            "Credentials that would close the gap, in the order of `recommended` (which says "
            "why each is there)."
        )
    )
    recommended: list[SkillGapRecommendation] = strawberry.field(
        description=(
            "The recommendations in order, each with the round that picked it and its "
            "reasons: in each cover round, the credential covering the most still-missing "
            "skills first (ties: more transparent, then cheaper); then credentials stating "
            "the occupation, or one standing for it (best relation first)."
        )
    )
    uncoverable_skills: list[Skill] = strawberry.field(
        description="Missing skills that no recommended credential teaches or assesses, "
        "neither as themselves nor through an equivalent."
    )

    @classmethod
    def from_model(
        cls,
        gap: SkillGapModel,
        occupation: OccupationModel,
        skills: dict[str, SkillModel],
        views: list[CredentialView],
        occupations: dict[str, OccupationModel],
    ) -> SkillGap:
        """`skills` holds every skill the gap names (required, and equivalents used);
        `views` the recommended credentials; `occupations` those the reasons name."""

        def known(ids: tuple[str, ...]) -> list[Skill]:
            return [Skill.from_model(skills[i]) for i in ids if i in skills]

        by_id = {v.id: v for v in views}
        picks = [p for p in gap.recommendations if p.credential_id in by_id]
        return cls(
            occupation=Occupation.from_model(occupation),
            required_skills=known(tuple(r.skill_id for r in gap.required)),
            covered_skills=known(gap.covered),
            covered_through=[
                SkillMatch.from_model(skills[s], m, skills[m.skill_id])
                for s, m in gap.covered_through.items()
                if s in skills and m.skill_id in skills
            ],
            missing_skills=known(gap.missing),
            recommendations=[Credential.from_model(by_id[p.credential_id]) for p in picks],
            recommended=[
                SkillGapRecommendation.from_model(p, by_id[p.credential_id], skills, occupations)
                for p in picks
            ],
            uncoverable_skills=known(gap.uncoverable),
        )
