"""Transparency score: what a credential discloses, 0-100, with the fields present and missing.

The fields follow the EU Council Recommendation on micro-credentials (2022, Annex I: mandatory
and optional elements) and the questions employers ask most (what it represents, which skills,
how good). Weights sum to 100. Mandatory EU elements and skills weigh most; optional ones less.

| field                    | weight | why |
|--------------------------|-------:|-----|
| awarding_body            | 10 | EU mandatory: identification of the provider |
| issuer_country           |  2 | EU mandatory: country of the provider |
| title                    |  5 | EU mandatory |
| description              |  5 | what it represents |
| learning_outcomes        | 12 | EU mandatory; employers' second question: which skills |
| skills_aligned           |  8 | skills tied to a framework (ESCO, O*NET, CASE...) are comparable |
| occupations              |  6 | which jobs it prepares for |
| workload                 |  8 | EU mandatory: notional workload (hours or credits) |
| level                    |  5 | EU mandatory where applicable: EQF/NQF level |
| assessment               |  8 | EU mandatory: type of assessment; employers' quality question |
| participation_form       |  4 | EU mandatory: online/onsite/blended |
| quality_assurance        |  8 | EU mandatory: quality assurance / accreditation |
| cost                     |  4 | employers and learners compare price |
| prerequisites            |  3 | EU optional |
| stackability             |  3 | EU optional: integration/stackability |
| validity                 |  3 | how long it stays valid |
| criteria                 |  4 | how it is earned |
| language                 |  2 | language of delivery |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from credgraph.model.records import Credential

WEIGHTS: dict[str, int] = {
    "awarding_body": 10,
    "issuer_country": 2,
    "title": 5,
    "description": 5,
    "learning_outcomes": 12,
    "skills_aligned": 8,
    "occupations": 6,
    "workload": 8,
    "level": 5,
    "assessment": 8,
    "participation_form": 4,
    "quality_assurance": 8,
    "cost": 4,
    "prerequisites": 3,
    "stackability": 3,
    "validity": 3,
    "criteria": 4,
    "language": 2,
}
assert sum(WEIGHTS.values()) == 100


@dataclass(frozen=True, slots=True)
class Transparency:
    score: float
    present: tuple[str, ...]
    missing: tuple[str, ...]


def _filled(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (tuple, list)):
        return len(value) > 0
    return True


def transparency_of(credential: Credential) -> Transparency:
    """Score a credential by the fields it discloses."""
    issuer = credential.issuer
    checks = {
        "awarding_body": issuer is not None and _filled(issuer.name),
        "issuer_country": issuer is not None and _filled(issuer.country),
        "title": _filled(credential.name),
        "description": _filled(credential.description),
        "learning_outcomes": _filled(credential.skills),
        "skills_aligned": any(link.skill.framework for link in credential.skills),
        "occupations": _filled(credential.occupations),
        "workload": credential.duration_hours is not None or credential.credits is not None,
        "level": _filled(credential.level),
        "assessment": _filled(credential.assessment),
        "participation_form": _filled(credential.delivery_mode),
        "quality_assurance": _filled(credential.accredited_by)
        or (issuer is not None and _filled(issuer.accredited_by)),
        "cost": credential.cost is not None,
        "prerequisites": _filled(credential.prerequisites) or _filled(credential.requires),
        "stackability": _filled(credential.part_of) or _filled(credential.has_part),
        "validity": _filled(credential.validity),
        "criteria": _filled(credential.criteria),
        "language": _filled(credential.language),
    }
    present = tuple(name for name in WEIGHTS if checks[name])
    missing = tuple(name for name in WEIGHTS if not checks[name])
    return Transparency(float(sum(WEIGHTS[n] for n in present)), present, missing)
