"""Outcome: one reported outcome for holders of a credential."""

from __future__ import annotations

from datetime import date

import strawberry

from credgraph.api.types.outcome_kind import OutcomeKind
from credgraph.model.stacking import Outcome as OutcomeModel


@strawberry.type(description="An outcome the publisher reports for holders of the credential.")
class Outcome:
    kind: OutcomeKind = strawberry.field(description="What it measures.")
    value: float = strawberry.field(description="The value, in `unit` or `currency`.")
    unit: str | None = strawberry.field(description="The unit: % for rates, else as stated.")
    currency: str | None = strawberry.field(description="ISO 4217 code, for earnings.")
    post_receipt_months: int | None = strawberry.field(
        description="Months after the award the figure was measured."
    )
    description: str | None = strawberry.field(description="The publisher's words about it.")
    source: str | None = strawberry.field(description="Where the figure comes from.")
    as_of: date | None = strawberry.field(description="The date it is effective from.")

    @classmethod
    def from_model(cls, o: OutcomeModel) -> Outcome:
        return cls(
            kind=OutcomeKind.from_model(o.kind),
            value=float(o.value),
            unit=o.unit,
            currency=o.currency,
            post_receipt_months=o.post_receipt_months,
            description=o.description,
            source=o.source,
            as_of=o.as_of,
        )
