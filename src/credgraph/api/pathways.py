"""The `pathways` question: routes from a credential to a credential or an occupation.

The ends are resolved through the request's loaders (a credential by id, CTID or URL; an
occupation by id, URI or code), the store searches (bounded: `maxSteps` capped at 10, never a
credential twice), and the credentials on the routes load in one call. Totals count the steps
after the first: the credential started from is held already; the steps stating no hours are
counted apart (`stepsWithoutHours`), so a partial total never passes for a whole one.
"""

from __future__ import annotations

from collections import defaultdict

from credgraph.api.arguments import InvalidArgument, occupation_keys
from credgraph.api.context import ApiInfo, loaders_of, store_of
from credgraph.api.loaders import first_found, load_present
from credgraph.api.types.credential import Credential
from credgraph.api.types.credits import Credits
from credgraph.api.types.money import Money
from credgraph.api.types.pathway import Pathway
from credgraph.api.types.pathway_relation import PathwayRelation
from credgraph.api.types.pathway_step import PathwayStep
from credgraph.model.stacking import MAX_PATHWAY_STEPS, MAX_PATHWAYS, PathwayGoal, Route
from credgraph.model.values import Credits as CreditsModel
from credgraph.model.values import Money as MoneyModel
from credgraph.model.views import CredentialView


def check_bounds(max_steps: int, first: int) -> tuple[int, int]:
    """`maxSteps` above the cap is capped; nonsense is a bad request."""
    if max_steps < 1:
        raise InvalidArgument(f"`maxSteps` must be at least 1, got {max_steps}")
    if not 1 <= first <= MAX_PATHWAYS:
        raise InvalidArgument(f"`first` must be between 1 and {MAX_PATHWAYS}, got {first}")
    return min(max_steps, MAX_PATHWAY_STEPS), first


async def pathways(
    info: ApiInfo, start_key: str, to_key: str, max_steps: int, first: int
) -> list[Pathway]:
    max_steps, first = check_bounds(max_steps, first)
    loaders = loaders_of(info)
    start, target = await loaders.credential_ids.load_many([start_key, to_key])
    if start is None:
        return []
    if target is not None:
        goal = PathwayGoal(credentials=frozenset({target}))
    else:
        occupation = await first_found(loaders.occupations, occupation_keys(to_key))
        if occupation is None:
            return []
        goal = PathwayGoal(occupation=occupation.id)
    routes = await store_of(info).pathways(start, goal, max_steps, first)
    views = {
        v.id: v
        for v in await load_present(
            loaders.credentials, [s.credential for r in routes for s in r.steps]
        )
    }
    return [p for r in routes if (p := _pathway(r, views)) is not None]


def _pathway(route: Route, views: dict[str, CredentialView]) -> Pathway | None:
    if any(s.credential not in views for s in route.steps):
        return None  # a credential went away between the search and the load
    later = [views[s.credential].credential for s in route.steps[1:]]
    hours = [c.duration_hours for c in later if c.duration_hours is not None]
    # from the loaded credentials, as the totals are (the search ranked by what it read)
    without_hours = len(later) - len(hours)
    costs: dict[str, float] = defaultdict(float)
    without_cost = 0
    for c in later:
        if c.cost is not None:
            costs[c.cost.currency] += c.cost.amount
        else:
            without_cost += 1
    granted = [s.credits for s in route.steps if s.credits is not None]
    applied = None
    if granted:
        unit = granted[0].unit
        applied = CreditsModel(sum(g.value for g in granted if g.unit == unit), unit)
    return Pathway(
        steps=[
            PathwayStep(
                credential=Credential.from_model(views[s.credential]),
                via=PathwayRelation.from_model(s.via) if s.via is not None else None,
            )
            for s in route.steps
        ],
        total_hours=sum(hours) if hours else None,
        steps_without_hours=without_hours,
        total_cost=[
            Money.from_model(MoneyModel(amount, currency))
            for currency, amount in sorted(costs.items())
        ],
        steps_without_cost=without_cost,
        credits_applied=Credits.from_model(applied) if applied else None,
    )
