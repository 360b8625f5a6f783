"""Credits: academic credit with its unit."""

from __future__ import annotations

import strawberry

from credgraph.model.values import Credits as CreditsModel


@strawberry.type(description="Academic credit: a value and its unit.")
class Credits:
    value: float = strawberry.field(description="How many credits.")
    unit: str | None = strawberry.field(
        description="The unit, such as ECTS, credit hours or CEU; null when not stated."
    )

    @classmethod
    def from_model(cls, credits: CreditsModel) -> Credits:
        return cls(value=float(credits.value), unit=credits.unit)
