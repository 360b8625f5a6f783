"""The pathway search on Neo4j: one bounded variable-length match from the start credential
over the links a pathway follows, ranked in the database.

The length bound is written into the pattern (Cypher takes no parameter there); it is an int
capped at MAX_PATHWAY_STEPS by the caller, never input text. A relationship is never
traversed twice within a path, and a path visiting a credential twice is dropped, so cycles
are never followed twice. Routes rank as in `store.pathsearch`: fewest steps stating no hours
first, then by the hours stated, then by steps. Several links between one pair give duplicate node sequences,
folded here (the most telling relation kept, as in `store.pathsearch`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from credgraph.model.stacking import PathwayGoal, PathwayRelation, Route, RouteStep
from credgraph.model.values import Credits
from credgraph.store.pathsearch import EDGE_RELATIONS, RELATION_ORDER

Read = Callable[..., Awaitable[list[Any]]]

_TYPES = "PREPARES_FOR_CREDENTIAL|PART_OF|ADVANCED_STANDING|PUBLISHED_PATHWAY"
_MATCH = """
MATCH (s:Credential {{id: $start}})
MATCH p = (s)-[:{types}*1..{steps}]->(t:Credential)
WHERE {goal}
  AND ALL(n IN nodes(p) WHERE n:Credential)
  AND NONE(n IN nodes(p)[1..-1] WHERE {inner_goal})
  AND size(nodes(p)) = size(reduce(seen = [], n IN nodes(p) |
        CASE WHEN n IN seen THEN seen ELSE seen + n END))
WITH p, reduce(h = 0.0, n IN tail(nodes(p)) | h + coalesce(n.duration_hours, 0.0)) AS hours,
     size([n IN tail(nodes(p)) WHERE n.duration_hours IS NULL]) AS unknown
ORDER BY unknown, hours, length(p)
LIMIT $limit
RETURN [n IN nodes(p) | n.id] AS ids, hours, unknown,
       [r IN relationships(p) | [type(r), r.credits_value, r.credits_unit]] AS links
"""


async def find(
    read: Read, start: str, goal: PathwayGoal, max_steps: int, first: int
) -> list[Route]:
    if max_steps <= 0 or first <= 0 or not (goal.credentials or goal.occupation):
        return []
    query = _MATCH.format(
        types=_TYPES, steps=int(max_steps), goal=_goal("t", goal), inner_goal=_goal("n", goal)
    )
    rows = await read(
        query,
        start=start,
        targets=sorted(goal.credentials),
        occupation=goal.occupation,
        limit=first * 4,
    )
    rank = {r: n for n, r in enumerate(RELATION_ORDER)}
    routes: dict[tuple[str, ...], Route] = {}
    for row in rows:
        ids = tuple(row["ids"])
        steps = [RouteStep(ids[0])]
        for node_id, (edge_type, value, unit) in zip(ids[1:], row["links"], strict=True):
            granted = (
                Credits(float(value), unit)
                if isinstance(value, (int, float)) and not isinstance(value, bool)
                else None
            )
            steps.append(
                RouteStep(
                    node_id, EDGE_RELATIONS.get(edge_type, PathwayRelation.PREPARES_FOR), granted
                )
            )
        route = Route(tuple(steps), float(row["hours"]), int(row["unknown"]))
        found = routes.get(ids)
        if found is None or _rank(route, rank) < _rank(found, rank):
            routes[ids] = route
    ordered = sorted(
        routes.values(),
        key=lambda r: (r.steps_without_hours, r.hours, len(r.steps), _rank(r, rank)),
    )
    return ordered[:first]


def _goal(var: str, goal: PathwayGoal) -> str:
    """The condition that a node (`var`, one of our own names) ends a route."""
    parts = []
    if goal.credentials:
        parts.append(f"{var}.id IN $targets")
    if goal.occupation is not None:
        parts.append("EXISTS { (" + var + ")-[:PREPARES_FOR]->(:Occupation {id: $occupation}) }")
    return "(" + " OR ".join(parts) + ")"


def _rank(route: Route, rank: dict[PathwayRelation, int]) -> tuple[int, ...]:
    return tuple(rank[s.via] for s in route.steps[1:] if s.via is not None)
