"""The bounded pathway search over the links between stored credentials: an in-memory
`Adjacency`, or any `Links` a store reads on demand.

Best-first over partial routes ordered by (steps without stated hours, study hours so far,
steps), so routes come out shortest first and the first `first` found are the answer. A
credential stating no hours is of unknown length, not of 0 hours: a route through one cannot be
called shorter than a route whose hours are all known, so the routes whose hours are all known
come first, then those with one step of unknown hours, and so on. Bounds, whatever the graph holds:
a route never visits a credential twice (cycles are never followed twice), has at most
`max_steps` links, each credential is expanded at most `first` times (the k-shortest-paths
bound), and the whole search stops after MAX_EXPANSIONS expansions.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from credgraph.model.stacking import PathwayRelation, Route, RouteStep
from credgraph.model.values import Credits

MAX_EXPANSIONS = 200_000

# When two credentials are joined by several links, the step names the most telling one.
RELATION_ORDER = (
    PathwayRelation.ADVANCED_STANDING,
    PathwayRelation.PREPARES_FOR,
    PathwayRelation.PUBLISHED_PATHWAY,
    PathwayRelation.PART_OF,
)
RANK = {relation: n for n, relation in enumerate(RELATION_ORDER)}
# Stored edge type -> pathway relation, for the edges a pathway follows forward.
EDGE_RELATIONS = {
    "PREPARES_FOR_CREDENTIAL": PathwayRelation.PREPARES_FOR,
    "PART_OF": PathwayRelation.PART_OF,
    "ADVANCED_STANDING": PathwayRelation.ADVANCED_STANDING,
    "PUBLISHED_PATHWAY": PathwayRelation.PUBLISHED_PATHWAY,
}


@dataclass(frozen=True, slots=True)
class Link:
    target: str
    via: PathwayRelation
    credits: Credits | None = None


class Links(Protocol):
    def stored(self, credential: str) -> bool: ...

    def forward(self, credential: str) -> Sequence[tuple[Link, float | None]]:
        """Links to stored credentials, each with the target's study hours (None when it
        states none)."""
        ...


@dataclass(slots=True)
class Adjacency:
    """Forward links between stored credentials and each stored credential's study hours
    (None when it states none)."""

    links: dict[str, list[Link]]
    hours: dict[str, float | None]

    def stored(self, credential: str) -> bool:
        return credential in self.hours

    def forward(self, credential: str) -> Sequence[tuple[Link, float | None]]:
        hours = self.hours
        return [(link, hours.get(link.target)) for link in self.links.get(credential, ())]

    @classmethod
    def build(
        cls,
        rows: Sequence[tuple[str, str, str, Credits | None]],
        hours: Mapping[str, float | None],
    ) -> Adjacency:
        """From (source, edge type, target, credits) rows; one link per pair, the most telling
        relation kept (RELATION_ORDER)."""
        rank = {r: n for n, r in enumerate(RELATION_ORDER)}
        relations = EDGE_RELATIONS
        links: dict[str, dict[str, Link]] = {}
        for source, edge_type, target, granted in rows:
            via = relations.get(edge_type)
            if via is None or source == target:
                continue
            out = links.get(source)
            if out is None:
                out = links[source] = {}
            found = out.get(target)
            if found is None or rank[via] < rank[found.via]:
                out[target] = Link(target, via, granted)
        # in the order the rows came (stores read them in index order: deterministic)
        return cls({s: list(t.values()) for s, t in links.items()}, dict(hours))


def search(
    graph: Links, start: str, goals: frozenset[str], max_steps: int, first: int
) -> list[Route]:
    """Up to `first` routes from `start` to any of `goals`: fewest steps of unknown hours
    first, then shortest by the stated study hours after the start, then by steps."""
    if not goals or first <= 0 or max_steps <= 0 or not graph.stored(start):
        return []
    found: list[Route] = []
    expanded: dict[str, int] = {}
    counter = 0
    # (steps without hours, hours, steps, tie-break, route): every part but the tie-break
    # only grows along a route, so the first routes popped are the first in that order.
    heap: list[tuple[int, float, int, int, tuple[RouteStep, ...]]] = [
        (0, 0.0, 0, counter, (RouteStep(start),))
    ]
    expansions = 0
    while heap and len(found) < first and expansions < MAX_EXPANSIONS:
        unknown, hours, steps, _, route = heapq.heappop(heap)
        here = route[-1].credential
        if steps and here in goals:
            found.append(Route(route, hours, unknown))
            continue  # a route goes no further than its goal
        if steps >= max_steps or expanded.get(here, 0) >= first:
            continue
        expanded[here] = expanded.get(here, 0) + 1
        expansions += 1
        visited = {s.credential for s in route}
        for link, target_hours in graph.forward(here):
            if link.target in visited:
                continue  # a cycle: never followed twice
            counter += 1
            heapq.heappush(
                heap,
                (
                    unknown + (target_hours is None),
                    hours + (target_hours or 0.0),
                    steps + 1,
                    counter,
                    (*route, RouteStep(link.target, link.via, link.credits)),
                ),
            )
    return found
