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
they are one node, else `EQUIVALENT` with the weakest edge's method and confidence. A skill
is unique to a credential when no other has it or a node directly equivalent to it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from credgraph.analysis.equivalents import EQUIVALENT, SAME, Equivalents, counting
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


@dataclass(frozen=True, slots=True)
class _Edge:
    """A direct equivalence between two compared skills, `a` < `b`."""

    a: str
    b: str
    method: str
    confidence: float


# skill -> each skill of the comparison directly equivalent to it -> the edge joining them
_Joins = dict[str, dict[str, _Edge]]


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
    joins = _direct_edges(everything, equivalents)
    if not joins:
        return _compare_plain(found, skill_sets)
    return _compare_direct(found, skill_sets, joins)


def _direct_edges(everything: set[str], equivalents: Equivalents) -> _Joins:
    """The equivalence edges between two of the compared skills, read both ways (the store
    gives each from both ends; one given from one end only still joins both)."""
    joins: _Joins = {}
    for skill in sorted(everything.intersection(equivalents.of)):  # the skills that have any
        for related in equivalents(skill):
            if related.id not in everything or related.id == skill:
                continue
            a, b = sorted((skill, related.id))
            edge = _Edge(a, b, related.method, related.score)
            known = joins.get(a, {}).get(b)
            if known is None or (edge.confidence, edge.method) > (known.confidence, known.method):
                joins.setdefault(a, {})[b] = edge
                joins.setdefault(b, {})[a] = edge
    return joins


def _compare_direct(
    found: Sequence[str], skill_sets: dict[str, frozenset[str]], joins: _Joins
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
        (a, b): _similarity(skill_sets[a], skill_sets[b], joins)
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


def _has(skills: frozenset[str], skill: str, joins: _Joins) -> bool:
    """Whether `skills` hold `skill` or a node directly equivalent to it."""
    return skill in skills or not skills.isdisjoint(joins.get(skill, {}))


def _joined(x: str, y: str, joins: _Joins) -> bool:
    return x == y or y in joins.get(x, {})


def _shared_by_all(
    found: Sequence[str], skill_sets: dict[str, frozenset[str]], joins: _Joins
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
    skill: str, others: Sequence[frozenset[str]], joins: _Joins
) -> tuple[str, ...] | None:
    """`skill` and, for each of `others`, the node it holds for it (`_pick`); None when one
    holds none."""
    held = [skill]
    for theirs in others:
        pick = _pick(skill, theirs, held, joins)
        if pick is None:
            return None
        held.append(pick)
    return tuple(held)


def _pick(skill: str, theirs: frozenset[str], held: list[str], joins: _Joins) -> str | None:
    """The node of `theirs` standing for `skill`: itself, else its strongest direct equivalent
    directly joined to every node `held` for the credentials before (each is joined to
    `skill`; only those picks can refuse it)."""
    if skill in theirs:
        return skill
    equivalents = sorted(
        ((other, edge) for other, edge in joins.get(skill, {}).items() if other in theirs),
        key=lambda found: (-found[1].confidence, found[0]),
    )
    for other, _ in equivalents:
        if all(_joined(other, node, joins) for node in held):
            return other
    return None


def _shared(held: tuple[str, ...], joins: _Joins) -> SharedSkill:
    """The shared skill of the nodes `held` (one per credential), with its weakest edge."""
    edges = [joins[x][y] for x, y in itertools.combinations(sorted(set(held)), 2)]
    if not edges:
        return SharedSkill(held, SAME, None, 1.0)
    weakest = min(edges, key=lambda e: (e.confidence, e.a, e.b))
    return SharedSkill(held, EQUIVALENT, weakest.method, weakest.confidence)


def _similarity(a: frozenset[str], b: frozenset[str], joins: _Joins) -> float:
    """The pair's confidence-weighted Jaccard index over a one-to-one matching of its skills:
    the same nodes, then the direct edges between the rest, strongest first (a skill of one
    equivalent to two of the other counts once, so the index stays within 0 and 1)."""
    same = a & b
    rest_b = b - same
    edges = sorted(
        (edge for s in a - same for t, edge in joins.get(s, {}).items() if t in rest_b),
        key=lambda e: (-e.confidence, e.a, e.b),
    )
    matched, used = float(len(same)), set[str]()
    for edge in edges:
        if edge.a not in used and edge.b not in used:
            used.update((edge.a, edge.b))
            matched += edge.confidence
    union = len(a) + len(b) - matched
    return matched / union if union else 0.0
