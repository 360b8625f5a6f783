"""Skill gap: what an occupation requires, what a person has, and the credentials that would
close the gap, each with the reasons it is recommended.

A required skill is covered when someone holds it or an equivalent of it (`equivalents`).
Recommendations come in three rounds, each after the one before:

1. `EXACT`: the fewest credentials (greedy set cover, the classic ln(n)-approximation) that
   teach or assess the missing skills themselves: repeatedly the credential covering the most
   still-missing skills; ties go to the higher transparency score, then the lower cost
   (unknown cost last), then the id, so answers are stable;
2. `EQUIVALENT`: the same for the skills still missing, counting a credential that has an
   equivalent of a skill (another framework's node) for that equivalence's confidence;
3. `OCCUPATION`: credentials that state the occupation itself, or one that stands for it (a
   crosswalk's, the same SOC occupation, the ESCO occupation's ISCO-08 group: see
   `occupations`), even when their skills are in another framework; best relation first,
   then transparency, cost and id.

Every recommendation says why: the skills it covers (and through which equivalent), and the
occupation it prepares for, whichever round picked it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from credgraph.analysis.equivalents import EQUIVALENT, Equivalents, Match, load_equivalents
from credgraph.analysis.occupations import (
    Preparing,
    credentials_preparing,
    related_occupations,
)
from credgraph.model.records import Occupation
from credgraph.model.views import RequiredSkill, SkillCoverage
from credgraph.store.ports import GraphReader

MAX_CANDIDATES = 500
MAX_BY_OCCUPATION = 10
EXACT = "exact"
EQUIVALENT_COVER = "equivalent"
OCCUPATION = "occupation"
COVERS = "covers"
COVERS_EQUIVALENT = "covers-equivalent"
PREPARES_FOR = "prepares-for"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a credential is recommended: it covers a required skill (itself, or through an
    equivalent node `via`), or it prepares for the occupation or one standing for it."""

    kind: str  # COVERS, COVERS_EQUIVALENT or PREPARES_FOR
    skill_id: str | None = None
    via: str | None = None  # the credential's skill equivalent to the required one
    occupation_id: str | None = None
    relation: str | None = None  # the equivalence's method, or how the occupation relates
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Recommendation:
    credential_id: str
    round: str  # EXACT, EQUIVALENT_COVER or OCCUPATION
    reasons: tuple[Reason, ...]
    transparency: float
    cost: float | None


@dataclass(frozen=True, slots=True)
class SkillGap:
    occupation_id: str
    required: tuple[RequiredSkill, ...]  # most important first
    covered: tuple[str, ...]
    covered_through: dict[str, Match]  # covered skills held only through an equivalent
    missing: tuple[str, ...]
    recommendations: tuple[Recommendation, ...]  # in the order the rounds picked them
    uncoverable: tuple[str, ...]  # missing skills no recommended credential covers


@dataclass(frozen=True, slots=True)
class _Candidate:
    coverage: SkillCoverage
    covers: dict[str, Reason]  # required skill -> how this credential covers it


async def skill_gap(
    store: GraphReader, occupation: str | Occupation, have: Sequence[str] = ()
) -> SkillGap:
    """The gap between an occupation's required skills and `have` (credential or skill ids).

    Credentials in `have` count for the skills they teach or assess; other ids count as
    skills. `occupation` is an id, or the stored record (its code lets the hierarchy be
    walked)."""
    if isinstance(occupation, str):
        found = await store.get_occupations([occupation])
        record = found[0] if found else Occupation(occupation, occupation)
    else:
        record = occupation
    required = await store.occupation_required_skills(record.id)
    required_ids = [r.skill_id for r in required]
    equivalents = await load_equivalents(store, required_ids)
    held = await _held_skills(store, have)
    through = {s: m for s in required_ids if (m := equivalents.best_in(s, held))}
    covered = tuple(s for s in required_ids if s in through)
    missing = tuple(s for s in required_ids if s not in through)
    owned = set(have)
    exact = await _exact_candidates(store, missing, owned)
    picks = [_recommend(c, EXACT) for c in greedy(set(missing), exact)]
    reached = {r.skill_id for p in picks for r in p.reasons if r.skill_id}
    still = [s for s in missing if s not in reached]
    taken = {p.credential_id for p in picks} | owned
    equivalent = await _equivalent_candidates(store, still, equivalents, taken)
    picks += [_recommend(c, EQUIVALENT_COVER) for c in greedy(set(still), equivalent)]
    reached = {r.skill_id for p in picks for r in p.reasons if r.skill_id}
    picks = await _with_occupation(store, record, picks, owned)
    return SkillGap(
        record.id,
        tuple(required),
        covered,
        {s: m for s, m in through.items() if m.kind == EQUIVALENT},
        missing,
        tuple(picks),
        tuple(s for s in missing if s not in reached),
    )


async def _held_skills(store: GraphReader, have: Sequence[str]) -> set[str]:
    if not have:
        return set()
    skill_sets = await store.skill_sets(list(have))
    held = {s for skills in skill_sets.values() for s in skills}
    held.update(i for i in have if i not in skill_sets)
    return held


async def _exact_candidates(
    store: GraphReader, missing: Sequence[str], owned: set[str]
) -> list[_Candidate]:
    if not missing:
        return []
    found = await store.credentials_covering(missing, limit=MAX_CANDIDATES)
    return [  # reasons in the order of importance
        _Candidate(c, {s: Reason(COVERS, s) for s in missing if s in c.covered_skill_ids})
        for c in found
        if c.credential_id not in owned
    ]


async def _equivalent_candidates(
    store: GraphReader, still: Sequence[str], equivalents: Equivalents, taken: set[str]
) -> list[_Candidate]:
    """Credentials having an equivalent of a still-missing skill, with what each covers."""
    stand_ins: dict[str, list[tuple[str, str, float]]] = {}  # equivalent -> (skill, how, conf)
    for skill in still:
        for related in equivalents(skill):
            stand_ins.setdefault(related.id, []).append((skill, related.method, related.score))
    if not stand_ins:
        return []
    found = await store.credentials_covering(sorted(stand_ins), limit=MAX_CANDIDATES)
    candidates = []
    for coverage in found:
        if coverage.credential_id in taken:
            continue
        found_for: dict[str, Reason] = {}
        for via in sorted(coverage.covered_skill_ids):
            for skill, method, confidence in stand_ins.get(via, ()):
                old = found_for.get(skill)
                if old is None or confidence > old.confidence:
                    found_for[skill] = Reason(
                        COVERS_EQUIVALENT, skill, via, None, method, confidence
                    )
        covers = {s: found_for[s] for s in still if s in found_for}  # in order of importance
        candidates.append(
            _Candidate(
                SkillCoverage(
                    coverage.credential_id, frozenset(covers), coverage.transparency, coverage.cost
                ),
                covers,
            )
        )
    return candidates


def _recommend(candidate: _Candidate, round_: str) -> Recommendation:
    c = candidate.coverage
    return Recommendation(
        c.credential_id, round_, tuple(candidate.covers.values()), c.transparency, c.cost
    )


async def _with_occupation(
    store: GraphReader, occupation: Occupation, picks: list[Recommendation], owned: set[str]
) -> list[Recommendation]:
    """The picks, each saying whether it prepares for the occupation, then the credentials
    that prepare for it and were not picked for their skills."""
    related = await related_occupations(store, occupation)
    preparing = {p.credential_id: p for p in await credentials_preparing(store, related)}
    out = []
    for pick in picks:
        extra = preparing.get(pick.credential_id)
        reasons = pick.reasons + ((_prepares(extra),) if extra else ())
        out.append(
            Recommendation(pick.credential_id, pick.round, reasons, pick.transparency, pick.cost)
        )
    chosen = {p.credential_id for p in picks} | owned
    rank = {r.occupation_id: n for n, r in enumerate(related)}
    rest = sorted(
        (p for p in preparing.values() if p.credential_id not in chosen),
        key=lambda p: (
            rank[p.occupation.occupation_id],
            -p.transparency,
            p.cost is None,
            p.cost or 0.0,
            p.credential_id,
        ),
    )
    out += [
        Recommendation(p.credential_id, OCCUPATION, (_prepares(p),), p.transparency, p.cost)
        for p in rest[:MAX_BY_OCCUPATION]
    ]
    return out


def _prepares(p: Preparing) -> Reason:
    return Reason(
        PREPARES_FOR,
        occupation_id=p.occupation.occupation_id,
        relation=p.occupation.relation,
        confidence=p.occupation.confidence,
    )


def greedy(missing: set[str], candidates: Sequence[_Candidate]) -> list[_Candidate]:
    """Fewest candidates (greedily) covering `missing`, a skill covered through an
    equivalent counting its confidence; stops when nothing covers more."""
    remaining = set(missing)
    pool = list(candidates)
    picks: list[_Candidate] = []

    def gain(c: _Candidate) -> float:
        return sum(c.covers[s].confidence for s in c.covers if s in remaining)

    while remaining and pool:
        best = min(pool, key=_order(gain))
        if gain(best) <= 0.0:
            break
        picks.append(best)
        remaining -= set(best.covers)
        pool.remove(best)
    return picks


def _order(gain: Callable[[_Candidate], float]) -> Callable[[_Candidate], tuple[object, ...]]:
    def key(c: _Candidate) -> tuple[object, ...]:
        cov = c.coverage
        return (-gain(c), -cov.transparency, cov.cost is None, cov.cost or 0.0, cov.credential_id)

    return key


def greedy_cover(missing: set[str], candidates: Sequence[SkillCoverage]) -> list[SkillCoverage]:
    """Fewest credentials (greedily) covering `missing` exactly; stops when nothing covers
    more."""
    wrapped = [
        _Candidate(c, {s: Reason(COVERS, s) for s in c.covered_skill_ids}) for c in candidates
    ]
    return [c.coverage for c in greedy(missing, wrapped)]
