"""CredentialSkills: a credential with some of its skills (in a comparison)."""

from __future__ import annotations

import strawberry

from credgraph.api.types.credential import Credential
from credgraph.api.types.skill import Skill
from credgraph.model.records import Skill as SkillModel
from credgraph.model.views import CredentialView


@strawberry.type(description="A credential and a set of its skills.")
class CredentialSkills:
    credential: Credential = strawberry.field(description="The credential.")
    skills: list[Skill] = strawberry.field(
        description="In a comparison: the skills no other compared credential has."
    )

    @classmethod
    def from_model(cls, view: CredentialView, skills: list[SkillModel]) -> CredentialSkills:
        return cls(
            credential=Credential.from_model(view), skills=[Skill.from_model(s) for s in skills]
        )
