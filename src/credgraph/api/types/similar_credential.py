"""SimilarCredential: a credential like another, by shared skills."""

from __future__ import annotations

import strawberry

from credgraph.analysis.similar import SimilarThrough
from credgraph.api.types.credential import Credential
from credgraph.api.types.skill import Skill
from credgraph.api.types.skill_match import SkillMatch
from credgraph.model.records import Skill as SkillModel
from credgraph.model.views import CredentialView


@strawberry.type(description="A credential similar to another by the skills they share.")
class SimilarCredential:
    credential: Credential = strawberry.field(description="The similar credential.")
    score: float = strawberry.field(
        description="Shared skills over all skills of the two (Jaccard), 0-1; a skill the "
        "other has only through an equivalent node counts that equivalence's confidence."
    )
    shared_skills: list[Skill] = strawberry.field(description="The skills both have (one node).")
    equivalent_skills: list[SkillMatch] = strawberry.field(
        description="Skills of the credential asked about that this one has as an equivalent "
        "node of another framework, with the method and confidence."
    )

    @classmethod
    def from_model(
        cls, similar: SimilarThrough, view: CredentialView, skills: dict[str, SkillModel]
    ) -> SimilarCredential:
        return cls(
            credential=Credential.from_model(view),
            score=similar.score,
            shared_skills=[
                Skill.from_model(skills[i]) for i in similar.shared_skill_ids if i in skills
            ],
            equivalent_skills=[
                SkillMatch.from_model(skills[asked], match, skills[match.skill_id])
                for asked, match in similar.equivalent
                if asked in skills and match.skill_id in skills
            ],
        )
