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


@dataclass(frozen=True, slots=True)
class Edge:
    """A direct equivalence between two skills, `a` < `b`."""

    a: str
    b: str
    method: str
    confidence: float


# skill -> each skill directly equivalent to it (among those asked for) -> the edge joining them
Joins = dict[str, dict[str, Edge]]


def direct_edges(skills: Iterable[str], equivalents: Equivalents) -> Joins:
    """The equivalence edges between two of `skills`, read both ways (the store gives each
    from both ends; one given from one end only, or only one end's equivalents loaded, still
    joins both), the strongest where an edge is given twice (ties to the method)."""
    everything = set(skills)
    joins: Joins = {}
    for skill in sorted(everything.intersection(equivalents.of)):  # the skills that have any
        for related in equivalents(skill):
            if related.id not in everything or related.id == skill:
                continue
            a, b = sorted((skill, related.id))
            edge = Edge(a, b, related.method, related.score)
            known = joins.get(a, {}).get(b)
            if known is None or (edge.confidence, edge.method) > (known.confidence, known.method):
                joins.setdefault(a, {})[b] = edge
                joins.setdefault(b, {})[a] = edge
    return joins


def one_to_one(mine: frozenset[str], theirs: frozenset[str], joins: Joins) -> dict[str, Match]:
    """How each of `mine` is found among `theirs`, one to one: the same nodes first, then the
    direct edges between the rest, strongest first. Ties go to the edge's ids in order, not to
    which side is whose, so a pair matches the same whichever comes first (a comparison lists
    a pair once, `similarCredentials` from the credential asked about). Each skill of either
    side is matched once, so two skills equivalent to one count once and the weighted
    Jaccard index stays within 0 and 1."""
    same = mine & theirs
    found = {s: Match(s, SAME, None, 1.0) for s in sorted(same)}
    rest = theirs - same
    edges = sorted(
        (edge for s in mine - same for t, edge in joins.get(s, {}).items() if t in rest),
        key=lambda e: (-e.confidence, e.a, e.b),
    )
    taken = set[str]()
    for edge in edges:
        if edge.a not in taken and edge.b not in taken:
            taken.update((edge.a, edge.b))
            skill, held = (edge.a, edge.b) if edge.a in mine else (edge.b, edge.a)
            found[skill] = Match(held, EQUIVALENT, edge.method, edge.confidence)
    return found


def weighted_jaccard(mine: frozenset[str], theirs: frozenset[str], joins: Joins) -> float:
    """The pair's confidence-weighted Jaccard index over `one_to_one`:
    m / (|mine| + |theirs| - m), m the sum of the matches' confidences (the plain Jaccard
    index with no equivalences)."""
    return jaccard_of(mine, theirs, one_to_one(mine, theirs, joins))


def jaccard_of(mine: frozenset[str], theirs: frozenset[str], matches: dict[str, Match]) -> float:
    """`weighted_jaccard` from the matches `one_to_one` found."""
    matched = sum(m.confidence for m in matches.values())
    union = len(mine) + len(theirs) - matched
    return matched / union if union else 0.0


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
