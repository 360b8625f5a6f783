"""Skill gap: what an occupation requires, what a person has, and the fewest credentials that
cover the rest.

Recommendations are a greedy set cover (the classic ln(n)-approximation): repeatedly take the
credential covering the most still-missing skills; ties go to the higher transparency score,
then the lower cost (unknown cost last), then the id, so answers are stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from credgraph.model.views import RequiredSkill, SkillCoverage
from credgraph.store.base import GraphStore

MAX_CANDIDATES = 500


@dataclass(frozen=True, slots=True)
class SkillGap:
    occupation_id: str
    required: tuple[RequiredSkill, ...]  # most important first
    covered: tuple[str, ...]
    missing: tuple[str, ...]
    recommendations: tuple[SkillCoverage, ...]  # in the order the greedy cover picked them
    uncoverable: tuple[str, ...]  # missing skills no credential in the graph teaches


async def skill_gap(store: GraphStore, occupation_id: str, have: Sequence[str] = ()) -> SkillGap:
    """The gap between `occupation_id`'s required skills and `have` (credential or skill ids).

    Credentials in `have` count for the skills they teach or assess; other ids count as skills.
    """
    required = await store.occupation_required_skills(occupation_id)
    held = await _held_skills(store, have)
    required_ids = [r.skill_id for r in required]
    covered = tuple(s for s in required_ids if s in held)
    missing = tuple(s for s in required_ids if s not in held)
    candidates = await store.credentials_covering(missing, limit=MAX_CANDIDATES) if missing else []
    owned = set(have)
    picks = greedy_cover(set(missing), [c for c in candidates if c.credential_id not in owned])
    reachable = set().union(*(p.covered_skill_ids for p in picks)) if picks else set()
    uncoverable = tuple(s for s in missing if s not in reachable)
    return SkillGap(occupation_id, tuple(required), covered, missing, tuple(picks), uncoverable)


async def _held_skills(store: GraphStore, have: Sequence[str]) -> set[str]:
    if not have:
        return set()
    skill_sets = await store.skill_sets(list(have))
    held = {s for skills in skill_sets.values() for s in skills}
    held.update(i for i in have if i not in skill_sets)
    return held


def greedy_cover(missing: set[str], candidates: Sequence[SkillCoverage]) -> list[SkillCoverage]:
    """Fewest credentials (greedily) covering `missing`; stops when nothing covers more."""
    remaining = set(missing)
    pool = list(candidates)
    picks: list[SkillCoverage] = []
    while remaining and pool:
        best = min(
            pool,
            key=lambda c: (
                -len(c.covered_skill_ids & remaining),
                -c.transparency,
                c.cost is None,
                c.cost or 0.0,
                c.credential_id,
            ),
        )
        gain = best.covered_skill_ids & remaining
        if not gain:
            break
        picks.append(best)
        remaining -= gain
        pool.remove(best)
    return picks
