"""Which skills count as the same for comparisons and gaps: one node, or equivalent nodes.

Two skills are equivalent when a SAME_AS edge joins them: stated by a crosswalk or by a
framework (confidence 1), or computed as a close match with a score at or above
`MIN_CONFIDENCE` (the operating threshold of `link.lexical`). Only direct edges count:
close matches are not transitive ("data mining" ~ "data mining software" ~ "Oracle Data
Mining" does not make the first the third).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from credgraph.link.lexical import THRESHOLD
from credgraph.store.equivalence import RelatedConcept
from credgraph.store.ports import GraphReader

MIN_CONFIDENCE = THRESHOLD
SAME = "same"
EQUIVALENT = "equivalent"


@dataclass(frozen=True, slots=True)
class Match:
    """How one skill stands for another: the same node (confidence 1), or an equivalent one
    with the method that says so (crosswalk, stated, lexical) and its confidence."""

    skill_id: str  # the skill standing in
    kind: str  # SAME or EQUIVALENT
    method: str | None
    confidence: float


@dataclass(frozen=True, slots=True)
class Equivalents:
    """The equivalents of some skills, strong enough to count."""

    of: dict[str, tuple[RelatedConcept, ...]]

    def __call__(self, skill_id: str) -> tuple[RelatedConcept, ...]:
        return self.of.get(skill_id, ())

    def ids(self) -> set[str]:
        return {r.id for found in self.of.values() for r in found}

    def best_in(self, skill_id: str, held: Iterable[str] | set[str]) -> Match | None:
        """How `skill_id` is found among `held`: itself, else its strongest equivalent."""
        pool = held if isinstance(held, set) else set(held)
        if skill_id in pool:
            return Match(skill_id, SAME, None, 1.0)
        for related in self(skill_id):  # best first
            if related.id in pool:
                return Match(related.id, EQUIVALENT, related.method, related.score)
        return None

    def matched(self, skills: Iterable[str], held: Iterable[str]) -> dict[str, Match]:
        """How each of `skills` is found among `held`, one to one: the same nodes first,
        then equivalences, strongest first (ties by the ids). A held node stands for one
        skill only, so two skills equivalent to one held node count once, as a pair's
        similarity in a comparison counts them."""
        pool = set(held)
        found = {s: Match(s, SAME, None, 1.0) for s in sorted(set(skills)) if s in pool}
        candidates = sorted(
            (
                (-related.score, skill_id, related.id, related.method)
                for skill_id in set(skills) - found.keys()
                for related in self(skill_id)
                if related.id in pool and related.id not in found
            ),
        )
        taken = set(found)
        for score, skill_id, held_id, method in candidates:
            if skill_id not in found and held_id not in taken:
                found[skill_id] = Match(held_id, EQUIVALENT, method, -score)
                taken.add(held_id)
        return found


async def load_equivalents(
    store: GraphReader, ids: Iterable[str], min_confidence: float = MIN_CONFIDENCE
) -> Equivalents:
    """The equivalents of `ids` that count (stated, or computed at `min_confidence`), in one
    store round trip."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return Equivalents({})
    return counting(await store.related_many(wanted), min_confidence)


def counting(
    found: dict[str, list[RelatedConcept]], min_confidence: float = MIN_CONFIDENCE
) -> Equivalents:
    """Of what `GraphReader.related_many` found, the equivalents that count."""
    # Skills the store found no equivalent for are left out (`Equivalents` answers () for
    # them): most have none, and a comparison reads an entry for every skill of its
    # credentials. (A skill whose equivalents all fall below `min_confidence` keeps ().)
    return Equivalents(
        {
            skill_id: tuple(r for r in related if r.stated or r.score >= min_confidence)
            for skill_id, related in found.items()
            if related
        }
    )
