"""VerifiedAchievement: the definition an award is for, normalised and mapped onto the graph."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from credgraph.api.types.credential import Credential
from credgraph.api.types.transparency import Transparency
from credgraph.model.views import CredentialView
from credgraph.verify import Achievement


@strawberry.type(
    description=(
        "The badge class or achievement an award is for, normalised like a crawled credential, "
        "with its node in the graph when there is one."
    )
)
class VerifiedAchievement:
    credential: Credential = strawberry.field(
        description=(
            "The stored credential when the graph has it (found, or ingested by this "
            "verification), else the definition as read from the award."
        )
    )
    in_graph: bool = strawberry.field(description="Whether `credential` is a node of the graph.")
    ingested: bool = strawberry.field(
        description="Whether this verification added it (provenance `verified-submission`)."
    )
    transparency: Transparency = strawberry.field(
        description="What the definition discloses (the stored node's score when in the graph)."
    )

    @classmethod
    def from_model(cls, achievement: Achievement) -> VerifiedAchievement:
        view = achievement.stored or _unstored_view(achievement)
        return cls(
            credential=Credential.from_model(view),
            in_graph=achievement.stored is not None,
            ingested=achievement.ingested,
            transparency=Transparency.from_model(achievement.transparency),
        )


def _unstored_view(achievement: Achievement) -> CredentialView:
    c = achievement.definition
    seen = c.provenance.fetched_at if c.provenance else datetime.now(UTC)
    return CredentialView(
        credential=c, issuer=c.issuer, skills=c.skills, occupations=c.occupations,
        accredited_by=c.accredited_by, part_of=c.part_of, has_part=c.has_part,
        requires=c.requires, transparency=achievement.transparency,
        provenance=(c.provenance,) if c.provenance else (), first_seen=seen, last_seen=seen,
        stale=False,
    )  # fmt: skip
