"""VerificationCheck: one check a verification made."""

from __future__ import annotations

import strawberry

from credgraph.api.types.check_outcome import CheckOutcome
from credgraph.verify import Check


@strawberry.type(description="One check a verification made, in the order made.")
class VerificationCheck:
    name: str = strawberry.field(description="signature, expiry, revocation, contexts...")
    outcome: CheckOutcome = strawberry.field(description="Passed, failed or not checked.")
    reason: str = strawberry.field(description="Why, in words, naming URLs and keys involved.")

    @classmethod
    def from_model(cls, check: Check) -> VerificationCheck:
        return cls(name=check.name, outcome=CheckOutcome.from_model(check.outcome),
                   reason=check.reason)  # fmt: skip
