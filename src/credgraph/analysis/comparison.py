"""Credentials side by side through equivalences (see `equivalents`): only direct edges count,
so a skill is never joined to another through a third.

Every two compared credentials are compared on their own, whatever else is compared: their
skills are matched one to one, the same node first (counting 1), then the direct equivalence
edges between the rest, strongest first (counting their confidence), each skill matched once:

    similarity(a, b) = m / (|a| + |b| - m),  m = the sum of the matches' counts

so with no equivalences it is the plain Jaccard index of the skills, and it never exceeds 1.

A skill of the first credential is shared by all when every other credential has it or a node
directly equivalent to it, and every two of the nodes so found are the same or directly
equivalent too (a chain a ~ b ~ c with no edge between a and c is not one skill): `SAME` when
they are one node, else `EQUIVALENT` with the weakest edge's method and confidence. The nodes
listed are the first choice meeting that rule, each credential's tried the same node first,
else its equivalents strongest first (ties by id). A skill is unique to a credential when no
other has it or a node directly equivalent to it, so a shared skill is never unique; one some
but not all others have (or whose nodes only chain) is neither.

The matching behind the similarity is `equivalents.one_to_one`, which `similarCredentials`
uses too, so the two give one figure for a pair.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from credgraph.analysis.equivalents import (
    EQUIVALENT,
    SAME,
    Equivalents,
    Joins,
    counting,
    direct_edges,
    weighted_jaccard,
)
from credgraph.model.views import CredentialView
from credgraph.store.equivalence import RelatedConcept


@dataclass(frozen=True, slots=True)
class SharedSkill:
    """A skill every compared credential has: the node each has (in credential order), and
    whether that is one node (`SAME`) or equivalent ones (`EQUIVALENT`)."""

    skill_ids: tuple[str, ...]
    match: str
    method: str | None
    confidence: float

    @property
    def skill_id(self) -> str:
        return self.skill_ids[0]


@dataclass(frozen=True, slots=True)
class SkillComparison:
    credential_ids: tuple[str, ...]
    shared: tuple[SharedSkill, ...]
    unique_skill_ids: dict[str, tuple[str, ...]]
    similarity: dict[tuple[str, str], float]


# Picks a search for one shared skill may try (`_extend`): each is a few set lookups.
MAX_SHARED_CHOICES = 10_000


def compare_views(
    views: Sequence[CredentialView], related: dict[str, list[RelatedConcept]]
) -> SkillComparison:
    """The comparison of `views` (in order) from the skills they carry and `related`, the
    equivalences at those skills (what the port's `compared_credentials` reads)."""
    skill_sets = {v.id: frozenset(link.skill.id for link in v.skills) for v in views}
    found = list(skill_sets)
    return compare_sets(found, skill_sets, counting(related) if len(found) > 1 else Equivalents({}))


def compare_sets(
    found: Sequence[str], skill_sets: dict[str, frozenset[str]], equivalents: Equivalents
) -> SkillComparison:
    """The comparison of credentials `found` (in order) with the skills of `skill_sets`."""
    everything = {s for i in found for s in skill_sets[i]}
    joins = direct_edges(everything, equivalents)
    if not joins:
        return _compare_plain(found, skill_sets)
    return _compare_direct(found, skill_sets, joins)


def _compare_direct(
    found: Sequence[str], skill_sets: dict[str, frozenset[str]], joins: Joins
) -> SkillComparison:
    """`compare_sets` with the direct equivalence edges `joins` among the skills."""
    shared = _shared_by_all(found, skill_sets, joins) if found else ()
    unique = {
        i: tuple(
            sorted(
                s
                for s in skill_sets[i]
                if not any(_has(skill_sets[j], s, joins) for j in found if j != i)
            )
        )
        for i in found
    }
    similarity = {
        (a, b): weighted_jaccard(skill_sets[a], skill_sets[b], joins)
        for a, b in itertools.combinations(found, 2)
    }
    return SkillComparison(tuple(found), shared, unique, similarity)


def _compare_plain(found: Sequence[str], skill_sets: dict[str, frozenset[str]]) -> SkillComparison:
    """`compare_sets` with no equivalence among the skills (the usual comparison): shared,
    unique and similarity are plain set operations."""
    shared = (
        tuple(
            SharedSkill((s,) * len(found), SAME, None, 1.0)
            for s in sorted(frozenset.intersection(*(skill_sets[i] for i in found)))
        )
        if found
        else ()
    )
    unique = {}
    for i in found:
        others = frozenset().union(*(skill_sets[j] for j in found if j != i))
        unique[i] = tuple(sorted(skill_sets[i] - others))
    similarity = {}
    for a, b in itertools.combinations(found, 2):
        union = len(skill_sets[a] | skill_sets[b])
        similarity[(a, b)] = len(skill_sets[a] & skill_sets[b]) / union if union else 0.0
    return SkillComparison(tuple(found), shared, unique, similarity)


def _has(skills: frozenset[str], skill: str, joins: Joins) -> bool:
    """Whether `skills` hold `skill` or a node directly equivalent to it."""
    return skill in skills or not skills.isdisjoint(joins.get(skill, {}))


def _joined(x: str, y: str, joins: Joins) -> bool:
    return x == y or y in joins.get(x, {})


def _shared_by_all(
    found: Sequence[str], skill_sets: dict[str, frozenset[str]], joins: Joins
) -> tuple[SharedSkill, ...]:
    """The skills of the first credential every other has, as one node or as nodes every two
    of which are directly equivalent, in the order of the first credential's skill ids."""
    shared = []
    for skill in sorted(skill_sets[found[0]]):
        held = _held_by_all(skill, [skill_sets[i] for i in found[1:]], joins)
        if held is not None:
            shared.append(_shared(held, joins))
    return tuple(shared)


def _held_by_all(
    skill: str, others: Sequence[frozenset[str]], joins: Joins
) -> tuple[str, ...] | None:
    """`skill` and, for each of `others`, the node it holds for it, every two of them the same
    or directly joined; None when no such choice exists. The choices are tried in order
    (`_candidates`) and the first full one is kept, backtracking when a later credential
    holds nothing joined to all the nodes picked before: taking the strongest equivalent
    for each credential in turn can refuse a skill another choice shares."""
    options = [_candidates(skill, theirs, joins) for theirs in others]
    return _extend((skill,), options, joins, [MAX_SHARED_CHOICES])


def _candidates(skill: str, theirs: frozenset[str], joins: Joins) -> tuple[str, ...]:
    """The nodes of `theirs` that may stand for `skill`: itself alone when held (any node
    joined to the others picked and to another choice is joined to `skill` too, so nothing
    else can succeed where it fails), else its direct equivalents, strongest first, ties by
    id. At most a skill's direct equivalents, so the search below stays small."""
    if skill in theirs:
        return (skill,)
    return tuple(
        other
        for other, _ in sorted(
            ((other, edge) for other, edge in joins.get(skill, {}).items() if other in theirs),
            key=lambda found: (-found[1].confidence, found[0]),
        )
    )


def _extend(
    held: tuple[str, ...],
    options: Sequence[tuple[str, ...]],
    joins: Joins,
    budget: list[int],
) -> tuple[str, ...] | None:
    """`held` extended by one node of each of `options` in turn, every two of them the same
    or joined, the first such in the order of `options`; None when there is none. Each of
    `options` holds only nodes joined to all of `held` already: a node picked strikes from
    the later options those not joined to it, and a pick leaving one empty is dropped at
    once rather than after trying every choice in between. `budget` holds the picks left
    to try: twenty credentials each holding several equivalents of a skill, all joined but
    for a few pairs, could take exponentially many, and a comparison is a request; past it
    the skill is taken as not shared."""
    if not options:
        return held
    for node in options[0]:
        budget[0] -= 1
        if budget[0] < 0:
            return None
        later = [tuple(n for n in theirs if _joined(n, node, joins)) for theirs in options[1:]]
        if all(later):
            found = _extend((*held, node), later, joins, budget)
            if found is not None:
                return found
    return None


def _shared(held: tuple[str, ...], joins: Joins) -> SharedSkill:
    """The shared skill of the nodes `held` (one per credential), with its weakest edge."""
    edges = [joins[x][y] for x, y in itertools.combinations(sorted(set(held)), 2)]
    if not edges:
        return SharedSkill(held, SAME, None, 1.0)
    weakest = min(edges, key=lambda e: (e.confidence, e.a, e.b))
    return SharedSkill(held, EQUIVALENT, weakest.method, weakest.confidence)
