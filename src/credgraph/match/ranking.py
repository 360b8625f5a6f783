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


def best(
    skill_ids: Sequence[str],
    candidates: Sequence[Candidate],
    equivalents: Equivalents,
    first: int,
    limit: int,
) -> list[Ranked]:
    """`contenders(rank(...), first, limit)`, assessing in full only those.

    What a credential covers and misses is a list per asked skill: 500 candidates against 200
    skills built 100,000 of them (about 120 ms) to show ten. The order needs only each
    candidate's coverage, found from the few asked skills (or equivalents) it holds and summed
    as `assess` sums it (so equal to the last bit), and the keys after it."""
    coverage = _Coverage(skill_ids, equivalents)
    light: list[tuple[Ranked, Candidate]] = []
    for c in candidates:
        confidences = coverage.confidences(c.skill_ids)
        if not confidences and c.occupation is None:
            continue
        share = round(sum(confidences) / len(skill_ids), 4) if skill_ids else 0.0
        light.append((_unassessed(c, share), c))
    light.sort(key=lambda pair: order_key(pair[0]))
    chosen = {id(r) for r in contenders([r for r, _ in light], first, limit)}
    return [assess(skill_ids, c, equivalents) for r, c in light if id(r) in chosen]


class _Coverage:
    """`covers` read the other way: from a credential's held skills (a few) to the asked
    skills they cover, instead of every asked skill against its held ones."""

    def __init__(self, skill_ids: Sequence[str], equivalents: Equivalents) -> None:
        self.positions: dict[str, list[int]] = {}  # an asked skill: where it is asked
        # an equivalent: (where the skill it stands for is asked, its place among that
        # skill's equivalents, best first, and its confidence)
        self.standing_for: dict[str, list[tuple[int, int, float]]] = {}
        for position, skill_id in enumerate(skill_ids):
            self.positions.setdefault(skill_id, []).append(position)
            for place, related in enumerate(equivalents(skill_id)):
                self.standing_for.setdefault(related.id, []).append(
                    (position, place, related.score)
                )

    def confidences(self, held: frozenset[str]) -> list[float]:
        """The confidence of each asked skill `held` covers, in the order it is asked: 1 for
        the skill itself, else that of its best equivalent held (as `covers` finds them)."""
        found: dict[int, tuple[int, float]] = {}  # position: (place, -1 for itself; confidence)
        for held_id in held:
            for position, place, score in self.standing_for.get(held_id, ()):
                old = found.get(position)
                if old is None or place < old[0]:
                    found[position] = (place, score)
        for held_id in held:
            for position in self.positions.get(held_id, ()):
                found[position] = (-1, 1.0)
        return [found[position][1] for position in sorted(found)]


def _unassessed(candidate: Candidate, coverage: float) -> Ranked:
    """A candidate's place in the order, before its covered and missing skills are listed."""
    return Ranked(
        candidate.credential_id,
        coverage,
        (),
        (),
        candidate.occupation,
        candidate.transparency,
        candidate.hours,
        candidate.cost,
        0.0,
    )


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
