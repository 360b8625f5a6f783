"""ResolvedCredential: a credential a written name stands for, how sure, and how it was found."""

from __future__ import annotations

import strawberry

from credgraph.api.types.credential import Credential
from credgraph.model.views import CredentialView
from credgraph.resolving import NameMatch


@strawberry.type(description="A credential a name as written (on a resume) may stand for.")
class ResolvedCredential:
    credential: Credential = strawberry.field(description="The credential.")
    confidence: float = strawberry.field(
        description="How sure, 0-1; a name the graph does not hold gets no match above 0.5."
    )
    method: str = strawberry.field(
        description="How it was found: `name`, `alternate name` (one its publisher gives), "
        "`acronym`, `fuzzy name`, with `+ issuer` when the text names its issuer too."
    )

    @classmethod
    def from_model(cls, match: NameMatch, view: CredentialView) -> ResolvedCredential:
        return cls(
            credential=Credential.from_model(view),
            confidence=match.confidence,
            method=match.method,
        )
