"""IssuerFilter: which issuers to list."""

from __future__ import annotations

import strawberry

from credgraph.api.arguments import unset_to_none


@strawberry.input(description="Which issuers to list; every condition given must hold.")
class IssuerFilter:
    text: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "Words in the issuer's name or description; all must match (of a longer text, "
            "the first 16)."
        ),
    )
    country: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Country as sources state it, ignoring case (such as US).",
    )

    def __post_init__(self) -> None:
        unset_to_none(self)
