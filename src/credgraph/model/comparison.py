"""Credentials side by side on their skill sets alone: shared and unique skills and pairwise
Jaccard similarity (the store port's `compare`; comparing through equivalences is
`credgraph.analysis.comparison`)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from credgraph.model.views import Comparison


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def build_comparison(ids: Sequence[str], skill_sets: dict[str, frozenset[str]]) -> Comparison:
    """Shared and unique skills and pairwise Jaccard for credentials found in `skill_sets`."""
    found = [i for i in dict.fromkeys(ids) if i in skill_sets]
    sets = [skill_sets[i] for i in found]
    shared = frozenset.intersection(*sets) if sets else frozenset()
    unique: dict[str, tuple[str, ...]] = {}
    for i, cid in enumerate(found):
        others = frozenset().union(*(s for j, s in enumerate(sets) if j != i))
        unique[cid] = tuple(sorted(skill_sets[cid] - others))
    pairs = {
        (a, b): jaccard(skill_sets[a], skill_sets[b]) for a, b in itertools.combinations(found, 2)
    }
    return Comparison(tuple(found), tuple(sorted(shared)), unique, pairs)
