"""OutcomeKind: what a reported outcome measures."""

from __future__ import annotations

import enum

import strawberry

from credgraph.model.stacking import OutcomeKind as OutcomeKindModel


@strawberry.enum(description="What a reported outcome for holders measures.")
class OutcomeKind(enum.Enum):
    MEDIAN_EARNINGS = strawberry.enum_value(
        "MEDIAN_EARNINGS", description="Median earnings of holders, in `currency`."
    )
    EMPLOYMENT_RATE = strawberry.enum_value(
        "EMPLOYMENT_RATE", description="Share of holders employed, a percentage (unit %)."
    )
    AWARDED = strawberry.enum_value("AWARDED", description="How many were awarded.")
    COMPLETION_RATE = strawberry.enum_value(
        "COMPLETION_RATE", description="Share of learners who completed, a percentage."
    )
    OTHER = strawberry.enum_value("OTHER", description="Another measure; see `unit`.")

    @classmethod
    def from_model(cls, value: OutcomeKindModel) -> OutcomeKind:
        return cls[value.name]
