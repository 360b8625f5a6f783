"""Credentials side by side through equivalences: a skill is shared when every compared
credential has the same node, or equivalent ones (see `equivalents`).

The skills of the compared credentials are grouped by the equivalences among them (the
groups are the connected parts of the graph of direct equivalence edges). A group every
credential has is shared: `SAME` when one node is in all of them, else `EQUIVALENT`, with the
weakest edge's method and confidence. Pairwise similarity is a Jaccard index over groups
where a group two credentials reach through equivalent nodes counts its confidence:

    similarity(a, b) = m / (|groups of a| + |groups of b| - m),  m = sum of shared confidences

so with no equivalences it is the plain Jaccard index of the skills.
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
    a: str
    b: str
    method: str
    confidence: float


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
    edges = [
        _Edge(a, r.id, r.method, r.score)
        for a in sorted(everything.intersection(equivalents.of))  # the skills that have any
        for r in equivalents(a)
        if r.id in everything and a < r.id
    ]
    if not edges:
        return _compare_plain(found, skill_sets)
    return _compare_grouped(found, skill_sets, sorted(everything), edges)


def _compare_grouped(
    found: Sequence[str],
    skill_sets: dict[str, frozenset[str]],
    everything: list[str],
    edges: list[_Edge],
) -> SkillComparison:
    """`compare_sets` over the groups the equivalence `edges` join."""
    group_of = _groups(everything, edges)
    members: dict[str, set[str]] = {}
    for skill, group in group_of.items():
        members.setdefault(group, set()).add(skill)
    groups_of = {i: {group_of[s] for s in skill_sets[i]} for i in found}
    shared = []
    for group in sorted(set.intersection(*groups_of.values()) if found else set()):
        shared.append(_shared(group, members[group], found, skill_sets, edges))
    unique = {
        i: tuple(
            sorted(
                s
                for s in skill_sets[i]
                if not any(group_of[s] in groups_of[j] for j in found if j != i)
            )
        )
        for i in found
    }
    similarity = {
        (a, b): _similarity(skill_sets[a], skill_sets[b], group_of, members, edges)
        for a, b in itertools.combinations(found, 2)
    }
    return SkillComparison(tuple(found), tuple(shared), unique, similarity)


def _compare_plain(found: Sequence[str], skill_sets: dict[str, frozenset[str]]) -> SkillComparison:
    """`compare_sets` with no equivalence among the skills (the usual comparison): each skill
    is its own group, so shared, unique and similarity are plain set operations (the groups'
    walk was most of a comparison's analysis)."""
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


def _groups(skills: list[str], edges: list[_Edge]) -> dict[str, str]:
    """Each skill's group: the smallest id of its connected part (union-find)."""
    parent = {s: s for s in skills}

    def root(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for edge in edges:
        x, y = root(edge.a), root(edge.b)
        if x != y:
            parent[max(x, y)] = min(x, y)
    return {s: root(s) for s in skills}


def _weakest(nodes: set[str], edges: list[_Edge]) -> _Edge | None:
    inside = [e for e in edges if e.a in nodes and e.b in nodes]
    return min(inside, key=lambda e: (e.confidence, e.a, e.b), default=None)


def _shared(
    group: str,
    nodes: set[str],
    found: Sequence[str],
    skill_sets: dict[str, frozenset[str]],
    edges: list[_Edge],
) -> SharedSkill:
    common = sorted(set.intersection(*(set(skill_sets[i]) & nodes for i in found)))
    if common:
        return SharedSkill(tuple(common[:1] * len(found)), SAME, None, 1.0)
    held = tuple(min(skill_sets[i] & nodes) for i in found)
    weakest = _weakest(set(held) | nodes, edges)
    return SharedSkill(
        held,
        EQUIVALENT,
        weakest.method if weakest else None,
        weakest.confidence if weakest else 1.0,
    )


def _similarity(
    a: frozenset[str],
    b: frozenset[str],
    group_of: dict[str, str],
    members: dict[str, set[str]],
    edges: list[_Edge],
) -> float:
    groups_a = {group_of[s] for s in a}
    groups_b = {group_of[s] for s in b}
    matched = 0.0
    for group in groups_a & groups_b:
        if members[group] & a & b:
            matched += 1.0
        else:
            weakest = _weakest(members[group], edges)
            matched += weakest.confidence if weakest else 1.0
    union = len(groups_a) + len(groups_b) - matched
    return matched / union if union else 0.0
