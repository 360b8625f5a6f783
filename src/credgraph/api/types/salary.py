"""Salary: pay as a job posting states it."""

from __future__ import annotations

import strawberry

from credgraph.model.jobs import Salary as SalaryModel


@strawberry.type(description="Pay as a posting states it: an amount or a range, per period.")
class Salary:
    min_amount: float | None = strawberry.field(description="The lower end (or the amount).")
    max_amount: float | None = strawberry.field(description="The upper end (or the amount).")
    currency: str | None = strawberry.field(description="ISO 4217 code, when stated.")
    unit: str | None = strawberry.field(
        description="The period it is paid per: HOUR, DAY, WEEK, MONTH or YEAR, when stated."
    )
    text: str | None = strawberry.field(description="The salary as written, when it was text.")

    @classmethod
    def from_model(cls, s: SalaryModel) -> Salary:
        return cls(
            min_amount=s.min_amount,
            max_amount=s.max_amount,
            currency=s.currency,
            unit=s.unit,
            text=s.text,
        )
