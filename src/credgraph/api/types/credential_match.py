"""CredentialMatch: a credential that prepares for a job, how much of it, and why."""

from __future__ import annotations

import strawberry

from credgraph.api.types.credential import Credential
from credgraph.api.types.skill import Skill
from credgraph.match.ranking import Ranked
from credgraph.model.records import Occupation as OccupationModel
from credgraph.model.records import Skill as SkillModel
from credgraph.model.views import CredentialView


@strawberry.type(description="A credential that prepares for a job, with what it covers and why.")
class CredentialMatch:
    credential: Credential = strawberry.field(description="The credential.")
    coverage: float = strawberry.field(
        description="Share of the job's skills it teaches or assesses, 0 to 1 (a skill held "
        "through an equivalent counts that equivalence's confidence)."
    )
    covered_skills: list[Skill] = strawberry.field(
        description="The job's skills it covers, itself or through an equivalent."
    )
    missing_skills: list[Skill] = strawberry.field(description="The job's skills it does not.")
    score: float = strawberry.field(
        description="0.8 coverage + 0.1 occupation alignment + 0.1 transparency, for display; "
        "the order is coverage, then alignment, transparency, hours and cost."
    )
    why: str = strawberry.field(description="The reasons in one sentence, for people.")

    @classmethod
    def from_model(
        cls,
        ranked: Ranked,
        view: CredentialView,
        skills: dict[str, SkillModel],
        occupations: dict[str, OccupationModel],
    ) -> CredentialMatch:
        return cls(
            credential=Credential.from_model(view),
            coverage=ranked.coverage,
            covered_skills=[
                Skill.from_model(skills[c.skill_id]) for c in ranked.covered if c.skill_id in skills
            ],
            missing_skills=[Skill.from_model(skills[s]) for s in ranked.missing if s in skills],
            score=ranked.score,
            why=explain(ranked, skills, occupations),
        )


def explain(
    r: Ranked, skills: dict[str, SkillModel], occupations: dict[str, OccupationModel]
) -> str:
    """ "Covers 2 of 3 skills: Python, SQL; covers Programming through computer programming
    (lexical, 0.90); prepares for Software Developers (15-1252.00); missing Docker." """

    def name(i: str | None) -> str:
        return skills[i].name if i and i in skills else str(i)

    parts = []
    total = len(r.covered) + len(r.missing)
    same = [name(c.skill_id) for c in r.covered if c.via is None]
    if total:
        head = f"covers {len(r.covered)} of {total} skill{'s' if total > 1 else ''}"
        parts.append(head + (": " + ", ".join(same) if same else ""))
    for c in r.covered:
        if c.via is not None:
            parts.append(
                f"covers {name(c.skill_id)} through {name(c.via)} ({c.method}, {c.confidence:.2f})"
            )
    if r.occupation is not None:
        o = occupations.get(r.occupation.occupation_id)
        label = (
            (f"{o.name} ({o.code})" if o and o.code else o.name)
            if o
            else r.occupation.occupation_id
        )
        how = (
            ""
            if r.occupation.relation == "same"
            else f", {r.occupation.relation} as the job's occupation"
        )
        parts.append(f"prepares for {label}{how}")
    if r.missing:
        parts.append("missing " + ", ".join(name(s) for s in r.missing))
    text = "; ".join(parts) or "matched"
    return text[0].upper() + text[1:] + "."
