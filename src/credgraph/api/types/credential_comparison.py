"""CredentialComparison: credentials side by side."""

from __future__ import annotations

import strawberry

from credgraph.analysis.comparison import SkillComparison
from credgraph.api.types.comparison_row import ComparisonRow
from credgraph.api.types.credential import Credential, shared_skill
from credgraph.api.types.credential_skills import CredentialSkills
from credgraph.api.types.similarity_pair import SimilarityPair
from credgraph.api.types.skill import Skill
from credgraph.api.types.skill_shared import SharedSkill
from credgraph.model.records import Skill as SkillModel
from credgraph.model.views import CredentialView


@strawberry.type(
    description=(
        "Credentials side by side: shared and unique skills, pairwise skill overlap, and one "
        "row per compared field with values in the order of `credentials`."
    )
)
class CredentialComparison:
    credentials: list[Credential] = strawberry.field(
        description="The compared credentials that exist, in the order asked."
    )
    shared_skills: list[Skill] = strawberry.field(
        description="Skills every compared credential teaches or assesses, as the same node "
        "or as nodes of different frameworks every two of which are directly equivalent (an "
        "equivalence through a third node does not count); the first credential's node of "
        "each, in the order of their ids; `sharedSkillMatches` says which."
    )
    shared_skill_matches: list[SharedSkill] = strawberry.field(
        description="The shared skills, with each credential's node and whether they are one "
        "node or equivalent ones (method and confidence)."
    )
    unique_skills: list[CredentialSkills] = strawberry.field(
        description="For each credential, the skills none of the others has, neither as the "
        "same node nor as a directly equivalent one."
    )
    similarity: list[SimilarityPair] = strawberry.field(
        description="Skill overlap (Jaccard) of every pair of compared credentials, each pair "
        "on its own whatever else is compared: skills are matched one to one, the same node "
        "counting 1, a direct equivalence its confidence (strongest first)."
    )
    rows: list[ComparisonRow] = strawberry.field(
        # Built when asked: most comparisons select the credentials and skills only.
        resolver=lambda root: ComparisonRow.from_model(root.views),
        description="One row per compared field, values aligned with `credentials`.",
    )
    unknown_ids: list[strawberry.ID] = strawberry.field(
        description="Ids asked for that name no credential (left out of the comparison)."
    )
    views: strawberry.Private[list[CredentialView]]

    @classmethod
    def from_model(
        cls,
        comparison: SkillComparison,
        views: list[CredentialView],
        skills: dict[str, SkillModel],
        unknown_ids: list[str],
    ) -> CredentialComparison:
        """`views` are the compared credentials in order; `skills` holds every skill named."""

        def known(ids: tuple[str, ...]) -> list[SkillModel]:
            return [skills[i] for i in ids if i in skills]

        credentials = [Credential.from_model(v) for v in views]  # one object each, shared
        return cls(
            credentials=credentials,
            shared_skills=[
                shared_skill(s) for s in known(tuple(x.skill_id for x in comparison.shared))
            ],
            shared_skill_matches=[SharedSkill.from_model(x, skills) for x in comparison.shared],
            unique_skills=[
                CredentialSkills(
                    credential=c,
                    skills=[
                        shared_skill(s) for s in known(comparison.unique_skill_ids.get(c.id, ()))
                    ],
                )
                for c in credentials
            ],
            similarity=[SimilarityPair.from_model(p, j) for p, j in comparison.similarity.items()],
            views=views,
            unknown_ids=[strawberry.ID(i) for i in unknown_ids],
        )
