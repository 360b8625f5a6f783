"""CheckOutcome: what came of one verification check."""

from __future__ import annotations

from enum import Enum

import strawberry

from credgraph.verify import Outcome


@strawberry.enum(description="What came of one verification check.")
class CheckOutcome(Enum):
    PASSED = strawberry.enum_value("PASSED", description="The check held.")
    FAILED = strawberry.enum_value("FAILED", description="The check failed; the reason says how.")
    NOT_CHECKED = strawberry.enum_value(
        "NOT_CHECKED", description="Could not be made; the reason says why."
    )

    @classmethod
    def from_model(cls, outcome: Outcome) -> CheckOutcome:
        return cls(outcome.value)
