"""AdvancedStanding: credit one credential grants toward another."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from credgraph.api.types.credits import Credits

if TYPE_CHECKING:
    from credgraph.api.types.credential import Credential


@strawberry.type(description="Credit one credential grants toward another.")
class AdvancedStanding:
    credential: Annotated[Credential, strawberry.lazy("credgraph.api.types.credential")] = (
        strawberry.field(description="The other credential.")
    )
    credits: Credits | None = strawberry.field(description="The credit granted, when stated.")
    description: str | None = strawberry.field(description="The conditions, as published.")
