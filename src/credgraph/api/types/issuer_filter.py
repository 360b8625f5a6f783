"""IssuerFilter: which issuers to list."""

from __future__ import annotations

import strawberry

from credgraph.api.arguments import unset_to_none
from credgraph.model.records import Issuer


@strawberry.input(description="Which issuers to list; every condition given must hold.")
class IssuerFilter:
    text: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Words in the issuer's name or description (required for now: see `issuers`).",
    )
    country: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Country as sources state it, ignoring case (such as US).",
    )

    def __post_init__(self) -> None:
        unset_to_none(self)

    def keeps(self, issuer: Issuer) -> bool:
        if self.country is None:
            return True
        return (issuer.country or "").strip().casefold() == self.country.strip().casefold()
