"""Skill: a skill or competency.

Scalars are copied from the record; its lists and provenance are built only when a query
selects them: a comparison builds some fifty skills, and most queries ask only for ids and names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from credgraph.api.context import ApiInfo, loaders_of
from credgraph.api.loaders import load_present
from credgraph.api.types.demand import Demand
from credgraph.api.types.provenance import Provenance
from credgraph.model.records import Skill as SkillModel
from credgraph.model.values import NodeKind

if TYPE_CHECKING:
    from credgraph.api.types.skill_related import RelatedSkill


@strawberry.type(
    description="A skill or competency, from a framework (ESCO, O*NET, CASE...) or an issuer."
)
class Skill:
    id: strawberry.ID = strawberry.field(
        description=(
            "Stable id: the framework URI, else `<framework>:<code>`, else `label:<name>`."
        )
    )
    name: str = strawberry.field(description="The skill's preferred label.")
    uri: str | None = strawberry.field(description="The framework URI, when it has one.")
    framework: str | None = strawberry.field(
        description="The framework it belongs to (ESCO, O*NET...); null for free-text skills."
    )
    code: str | None = strawberry.field(description="Its code in the framework, when any.")
    description: str | None = strawberry.field(description="The framework's definition.")
    model: strawberry.Private[SkillModel]

    @strawberry.field(description="Other names for the skill.")
    def alt_labels(self) -> list[str]:
        return list(self.model.alt_labels)

    @strawberry.field(
        description="Where the skill's own record came from; null when only referenced."
    )
    def provenance(self) -> Provenance | None:
        found = self.model.provenance
        return Provenance.from_model(found) if found else None

    @strawberry.field(description="Broader skills it belongs under, in its framework.")
    async def broader(self, info: ApiInfo) -> list[Skill]:
        found = await load_present(loaders_of(info).skills, self.model.broader)
        return [Skill.from_model(s) for s in found]

    @strawberry.field(
        description="The same skill in other frameworks: as its framework states it, and as "
        "crosswalks state it (either direction)."
    )
    async def same_as(self, info: ApiInfo) -> list[Skill]:
        loaders = loaders_of(info)
        crosswalked = await loaders.equivalents.load(str(self.id))
        ids = [*self.model.same_as, *crosswalked]
        found = await load_present(loaders.skills, [i for i in ids if i != str(self.id)])
        return [Skill.from_model(s) for s in found]

    @strawberry.field(
        description="Equivalent skills in other frameworks with how sure each is: stated ones "
        "(crosswalks, the skill's framework; score 1) first, then close matches computed "
        "from labels and descriptions (method lexical), best first."
    )
    async def related(
        self, info: ApiInfo
    ) -> list[Annotated[RelatedSkill, strawberry.lazy("credgraph.api.types.skill_related")]]:
        from credgraph.api.types.skill_related import RelatedSkill

        found = await loaders_of(info).related.load(str(self.id))
        skills = {
            s.id: s for s in await load_present(loaders_of(info).skills, [r.id for r in found])
        }
        return [RelatedSkill.from_model(r, skills[r.id]) for r in found if r.id in skills]

    @strawberry.field(description="Active job postings that require it.")
    async def demand(self, info: ApiInfo) -> Demand:
        return await Demand.load(info, NodeKind.SKILL, str(self.id))

    @classmethod
    def from_model(cls, skill: SkillModel) -> Skill:
        return cls(
            id=skill.id,  # type: ignore[arg-type]  # strawberry.ID is a str; no call needed
            name=skill.name,
            uri=skill.uri,
            framework=skill.framework,
            code=skill.code,
            description=skill.description,
            model=skill,
        )
