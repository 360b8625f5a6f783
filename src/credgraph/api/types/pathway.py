"""Pathway: a route from one credential to another or to an occupation."""

from __future__ import annotations

import strawberry

from credgraph.api.types.credits import Credits
from credgraph.api.types.money import Money
from credgraph.api.types.pathway_step import PathwayStep


@strawberry.type(
    description="A route of credentials, each step reached by a preparation, part-of, "
    "advanced-standing or published-pathway link. Totals count the steps after the first "
    "(the credential started from is held already). Routes come with every step's hours "
    "known first, then by the fewest steps stating no hours, then shortest by the hours "
    "stated, then by steps: a credential stating no hours is of unknown length, not 0 hours."
)
class Pathway:
    steps: list[PathwayStep] = strawberry.field(description="The credentials, in order.")
    total_hours: float | None = strawberry.field(
        description="Study hours of the steps after the first that state hours; null when "
        "none does. Only a part of the route's hours when `stepsWithoutHours` is above 0."
    )
    steps_without_hours: int = strawberry.field(
        description="How many steps after the first state no study hours (0: `totalHours` "
        "is the whole route's)."
    )
    total_cost: list[Money] = strawberry.field(
        description="Cost of the steps after the first that state one, one sum per "
        "currency. Only a part of the route's cost when `stepsWithoutCost` is above 0."
    )
    steps_without_cost: int = strawberry.field(
        description="How many steps after the first state no cost (0: `totalCost` is the "
        "whole route's)."
    )
    credits_applied: Credits | None = strawberry.field(
        description="Credit granted along the way by advanced-standing links (one unit: the "
        "first stated; others are left out)."
    )
