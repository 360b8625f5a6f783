"""Ranking credentials against what a job asks for.

The order, each key breaking the ties of the one before:

1. **coverage**: the share of the job's skills the credential teaches or assesses; a skill it
   has only through an equivalent (a crosswalk's SAME_AS, or a computed close match at the
   operating threshold: `analysis.equivalents`) counts that equivalence's confidence;
2. **occupation alignment**: the credential states one of the job's occupations (1), or one
   standing for it (its confidence: `analysis.occupations`), else 0;
3. **transparency**: its score, higher first;
4. **hours**: fewer study hours first (the quicker way to the job), unknown last;
5. **cost**: cheaper first, unknown last; then the id, so answers are stable.

`score` summarises the first three for display (0.8 coverage, 0.1 alignment, 0.1
transparency); the order is the one above, not the score's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from credgraph.analysis.equivalents import Equivalents
from credgraph.analysis.occupations import RelatedOccupation

COVERAGE_WEIGHT = 0.8
ALIGNMENT_WEIGHT = 0.1
TRANSPARENCY_WEIGHT = 0.1


@dataclass(frozen=True, slots=True)
class Covered:
    """A skill of the job a credential covers: itself, or through `via` (its own skill)."""

    skill_id: str
    via: str | None = None
    method: str | None = None
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Candidate:
    """What is known of a credential before ranking it."""

    credential_id: str
    skill_ids: frozenset[str]  # its skills among those asked for (and their equivalents)
    transparency: float
    cost: float | None
    occupation: RelatedOccupation | None = None
    hours: float | None = None


@dataclass(frozen=True, slots=True)
class Ranked:
    credential_id: str
    coverage: float
    covered: tuple[Covered, ...]
    missing: tuple[str, ...]
    occupation: RelatedOccupation | None
    transparency: float
    hours: float | None
    cost: float | None
    score: float


def covers(
    skill_ids: Sequence[str], held: frozenset[str], equivalents: Equivalents
) -> tuple[list[Covered], list[str]]:
    """Which of `skill_ids` a credential holding `held` covers (and how), and which not."""
    covered: list[Covered] = []
    missing: list[str] = []
    for skill_id in skill_ids:
        if skill_id in held:
            covered.append(Covered(skill_id))
            continue
        # the strongest equivalent held (`Equivalents.best_in`, without copying `held`)
        via = next((r for r in equivalents(skill_id) if r.id in held), None)
        if via is None:
            missing.append(skill_id)
        else:
            covered.append(Covered(skill_id, via.id, via.method, via.score))
    return covered, missing


def assess(skill_ids: Sequence[str], candidate: Candidate, equivalents: Equivalents) -> Ranked:
    covered, missing = covers(skill_ids, candidate.skill_ids, equivalents)
    coverage = sum(c.confidence for c in covered) / len(skill_ids) if skill_ids else 0.0
    alignment = candidate.occupation.confidence if candidate.occupation else 0.0
    score = (
        COVERAGE_WEIGHT * coverage
        + ALIGNMENT_WEIGHT * alignment
        + TRANSPARENCY_WEIGHT * candidate.transparency / 100.0
    )
    return Ranked(
        candidate.credential_id,
        round(coverage, 4),
        tuple(covered),
        tuple(missing),
        candidate.occupation,
        candidate.transparency,
        candidate.hours,
        candidate.cost,
        round(score, 4),
    )


def order_key(r: Ranked) -> tuple[object, ...]:
    alignment = r.occupation.confidence if r.occupation else 0.0
    return (
        -r.coverage,
        -alignment,
        -r.transparency,
        r.hours is None,
        r.hours or 0.0,
        r.cost is None,
        r.cost or 0.0,
        r.credential_id,
    )


def coarse_key(r: Ranked) -> tuple[object, ...]:
    """The order before hours are known (they need the credential record)."""
    return order_key(r)[:3]


def rank(
    skill_ids: Sequence[str], candidates: Sequence[Candidate], equivalents: Equivalents
) -> list[Ranked]:
    """Every candidate covering something or aligned with an occupation, best first."""
    assessed = [assess(skill_ids, c, equivalents) for c in candidates]
    useful = [r for r in assessed if r.covered or r.occupation is not None]
    return sorted(useful, key=order_key)


def with_hours(ranked: Sequence[Ranked], hours: Mapping[str, float | None]) -> list[Ranked]:
    """`ranked` with each credential's hours filled in, re-ordered."""
    out = [
        Ranked(
            r.credential_id,
            r.coverage,
            r.covered,
            r.missing,
            r.occupation,
            r.transparency,
            hours.get(r.credential_id, r.hours),
            r.cost,
            r.score,
        )
        for r in ranked
    ]
    return sorted(out, key=order_key)


def contenders(ranked: Sequence[Ranked], first: int, limit: int) -> list[Ranked]:
    """The best `first`, and every one tied with the last of them before hours are known
    (hours may reorder those), at most `limit`."""
    if len(ranked) <= first:
        return list(ranked)
    edge = coarse_key(ranked[first - 1]) if first > 0 else None
    out = list(ranked[:first])
    for r in ranked[first:]:
        if len(out) >= limit or coarse_key(r) != edge:
            break
        out.append(r)
    return out
