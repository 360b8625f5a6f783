"""Money: an amount in a currency."""

from __future__ import annotations

import strawberry

from credgraph.model.values import Money as MoneyModel


@strawberry.type(description="An amount of money in an ISO 4217 currency.")
class Money:
    amount: float = strawberry.field(description="The amount, 0 or more.")
    currency: str = strawberry.field(description="ISO 4217 currency code, such as USD or EUR.")

    @classmethod
    def from_model(cls, money: MoneyModel) -> Money:
        return cls(amount=float(money.amount), currency=money.currency)
