"""Occupation: a job, in O*NET-SOC, ESCO, ISCO or as an issuer named it."""

from __future__ import annotations

import strawberry

from credgraph.api.context import ApiInfo, loaders_of
from credgraph.api.loaders import load_present
from credgraph.api.types.demand import Demand
from credgraph.api.types.provenance import Provenance
from credgraph.api.types.skill import Skill
from credgraph.api.types.skill_requirement import SkillRequirement
from credgraph.model.records import Occupation as OccupationModel
from credgraph.model.values import NodeKind


@strawberry.type(description="An occupation: O*NET-SOC, ESCO, ISCO, or a label an issuer used.")
class Occupation:
    id: strawberry.ID = strawberry.field(
        description="Stable id: `onet:<SOC code>` for O*NET-SOC, else the framework URI."
    )
    code: str | None = strawberry.field(
        description="The occupation's code, such as 15-2051.00 (O*NET-SOC)."
    )
    name: str = strawberry.field(description="The occupation's title.")
    framework: str | None = strawberry.field(description="The taxonomy it belongs to.")
    uri: str | None = strawberry.field(description="The taxonomy URI, when it has one.")
    description: str | None = strawberry.field(description="The taxonomy's definition.")
    alt_labels: list[str] = strawberry.field(description="Other titles for the occupation.")
    provenance: Provenance | None = strawberry.field(
        description="Where the occupation's own record came from; null when only referenced."
    )

    @strawberry.field(
        description="How the taxonomy ranks the skills it requires, most important first."
    )
    async def skill_requirements(self, info: ApiInfo) -> list[SkillRequirement]:
        return await _requirements(info, str(self.id))

    @strawberry.field(description="The skills the occupation requires, most important first.")
    async def required_skills(self, info: ApiInfo) -> list[Skill]:
        return [r.skill for r in await _requirements(info, str(self.id))]

    @strawberry.field(
        description="The same occupation in other classifications, as crosswalks state it "
        "(ISCO-08 groups, SOC/O*NET-SOC, ESCO), in either direction."
    )
    async def same_as(self, info: ApiInfo) -> list[Occupation]:
        loaders = loaders_of(info)
        ids = await loaders.equivalents.load(str(self.id))
        return [Occupation.from_model(o) for o in await load_present(loaders.occupations, ids)]

    @strawberry.field(description="Active job postings for it.")
    async def demand(self, info: ApiInfo) -> Demand:
        return await Demand.load(info, NodeKind.OCCUPATION, str(self.id))

    @classmethod
    def from_model(cls, occupation: OccupationModel) -> Occupation:
        return cls(
            id=strawberry.ID(occupation.id),
            code=occupation.code,
            name=occupation.name,
            framework=occupation.framework,
            uri=occupation.uri,
            description=occupation.description,
            alt_labels=list(occupation.alt_labels),
            provenance=(
                Provenance.from_model(occupation.provenance) if occupation.provenance else None
            ),
        )


async def _requirements(info: ApiInfo, occupation_id: str) -> list[SkillRequirement]:
    loaders = loaders_of(info)
    required = await loaders.required_skills.load(occupation_id)
    skills = await loaders.skills.load_many([r.skill_id for r in required])
    return [SkillRequirement.from_model(r, s) for r, s in zip(required, skills, strict=True) if s]
