"""SimilarCredential: a credential like another, by shared skills."""

from __future__ import annotations

import strawberry

from credgraph.api.types.credential import Credential
from credgraph.api.types.skill import Skill
from credgraph.model.records import Skill as SkillModel
from credgraph.model.views import CredentialView
from credgraph.model.views import SimilarCredential as SimilarCredentialModel


@strawberry.type(description="A credential similar to another by the skills they share.")
class SimilarCredential:
    credential: Credential = strawberry.field(description="The similar credential.")
    score: float = strawberry.field(
        description="Shared skills over all skills of the two (Jaccard), 0-1."
    )
    shared_skills: list[Skill] = strawberry.field(description="The skills both have.")

    @classmethod
    def from_model(
        cls, similar: SimilarCredentialModel, view: CredentialView, skills: dict[str, SkillModel]
    ) -> SimilarCredential:
        return cls(
            credential=Credential.from_model(view),
            score=similar.score,
            shared_skills=[
                Skill.from_model(skills[i]) for i in similar.shared_skill_ids if i in skills
            ],
        )
