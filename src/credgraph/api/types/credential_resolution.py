"""CredentialResolution: one written credential name and the credentials it may stand for."""

from __future__ import annotations

import strawberry

from credgraph.api.types.resolved_credential import ResolvedCredential


@strawberry.type(description="A name as written and the credentials it may stand for.")
class CredentialResolution:
    input: str = strawberry.field(description="The name as it was asked about.")
    matches: list[ResolvedCredential] = strawberry.field(
        description="The credentials it most likely names, most likely first; empty when "
        "nothing in the graph comes close."
    )
