"""SkillGapRecommendation: a credential recommended to close a skill gap, and why."""

from __future__ import annotations

import enum

import strawberry

from credgraph.analysis.skill_gap import COVERS, EXACT, OCCUPATION, PREPARES_FOR, Recommendation
from credgraph.api.types.credential import Credential
from credgraph.api.types.skill_gap_reason import SkillGapReason
from credgraph.model.records import Occupation as OccupationModel
from credgraph.model.records import Skill as SkillModel
from credgraph.model.views import CredentialView


@strawberry.enum(description="Which round of a skill gap picked a recommendation.")
class SkillGapRound(enum.Enum):
    EXACT_COVER = strawberry.enum_value(
        "EXACT_COVER", description="Picked for the missing skills it covers itself."
    )
    EQUIVALENT_COVER = strawberry.enum_value(
        "EQUIVALENT_COVER",
        description="Picked for skills equivalent to missing ones (after the exact cover).",
    )
    OCCUPATION = strawberry.enum_value(
        "OCCUPATION",
        description="Picked because it states the occupation or one standing for it (last).",
    )

    @classmethod
    def from_model(cls, round_: str) -> SkillGapRound:
        if round_ == EXACT:
            return cls.EXACT_COVER
        return cls.OCCUPATION if round_ == OCCUPATION else cls.EQUIVALENT_COVER


@strawberry.type(description="A credential recommended to close a skill gap, with why.")
class SkillGapRecommendation:
    credential: Credential = strawberry.field(description="The recommended credential.")
    round: SkillGapRound = strawberry.field(description="Which round picked it.")
    reasons: list[SkillGapReason] = strawberry.field(
        description="Every reason: the missing skills it covers (itself or through an "
        "equivalent), and the occupation it states."
    )
    why: str = strawberry.field(description="The reasons in one sentence, for people.")

    @classmethod
    def from_model(
        cls,
        pick: Recommendation,
        view: CredentialView,
        skills: dict[str, SkillModel],
        occupations: dict[str, OccupationModel],
    ) -> SkillGapRecommendation:
        return cls(
            credential=Credential.from_model(view),
            round=SkillGapRound.from_model(pick.round),
            reasons=[SkillGapReason.from_model(r, skills, occupations) for r in pick.reasons],
            why=explain(pick, skills, occupations),
        )


def explain(
    pick: Recommendation, skills: dict[str, SkillModel], occupations: dict[str, OccupationModel]
) -> str:
    """ "Covers Python, SQL; covers Repairing through repair equipment (lexical, 0.91);
    prepares for Data Scientists." """

    def name(i: str | None) -> str:
        return skills[i].name if i and i in skills else str(i)

    parts = []
    exact = [name(r.skill_id) for r in pick.reasons if r.kind == COVERS]
    if exact:
        parts.append("covers " + ", ".join(exact))
    for r in pick.reasons:
        if r.kind not in (COVERS, PREPARES_FOR):
            parts.append(
                f"covers {name(r.skill_id)} through {name(r.via)} "
                f"({r.relation}, {r.confidence:.2f})"
            )
    for r in pick.reasons:
        if r.kind == PREPARES_FOR:
            o = occupations.get(r.occupation_id or "")
            label = f"{o.name} ({o.code})" if o and o.code else (o.name if o else r.occupation_id)
            how = "" if r.relation == "same" else f", {r.relation} as the one asked about"
            parts.append(f"prepares for {label}{how}")
    text = "; ".join(parts) or "recommended"
    return text[0].upper() + text[1:] + "."
