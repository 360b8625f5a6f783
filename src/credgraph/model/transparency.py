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
from itertools import compress
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


def _checks(credential: Credential) -> tuple[bool, ...]:
    """Whether each field of WEIGHTS is disclosed, in WEIGHTS' order: a tuple, not a dict,
    as a store computes the score of every credential it writes."""
    c, filled = credential, _filled
    issuer = c.issuer
    return (
        issuer is not None and filled(issuer.name),  # awarding_body
        issuer is not None and filled(issuer.country),  # issuer_country
        filled(c.name),  # title
        filled(c.description),  # description
        filled(c.skills),  # learning_outcomes
        any(link.skill.framework for link in c.skills),  # skills_aligned
        filled(c.occupations),  # occupations
        c.duration_hours is not None or c.credits is not None,  # workload
        filled(c.level),  # level
        filled(c.assessment),  # assessment
        filled(c.delivery_mode),  # participation_form
        filled(c.accredited_by) or (issuer is not None and filled(issuer.accredited_by)),
        c.cost is not None,  # cost
        filled(c.prerequisites) or filled(c.requires),  # prerequisites
        filled(c.part_of) or filled(c.has_part),  # stackability
        filled(c.validity),  # validity
        filled(c.criteria),  # criteria
        filled(c.language),  # language
    )


_FIELDS = tuple(WEIGHTS)
_WEIGHTS = tuple(WEIGHTS.values())


def transparency_of(credential: Credential) -> Transparency:
    """Score a credential by the fields it discloses."""
    checks = _checks(credential)
    present = tuple(name for name, ok in zip(_FIELDS, checks, strict=True) if ok)
    missing = tuple(name for name, ok in zip(_FIELDS, checks, strict=True) if not ok)
    return Transparency(float(sum(WEIGHTS[n] for n in present)), present, missing)


def transparency_score(credential: Credential) -> float:
    """`transparency_of(credential).score`, without naming the fields."""
    # compress: the weights of the checks that passed, picked in one C call (a store scores
    # every credential it writes); `transparency_of` pairs the same two tuples strictly.
    return float(sum(compress(_WEIGHTS, _checks(credential))))
