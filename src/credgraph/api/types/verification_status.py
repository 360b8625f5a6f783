"""VerificationStatus: the verdict on a badge a candidate lists."""

from __future__ import annotations

from enum import Enum

import strawberry

from credgraph.verify import Status


@strawberry.enum(description="The verdict of a verification, worst reason first.")
class VerificationStatus(Enum):
    VALID = strawberry.enum_value("VALID", description="Every check that matters passed.")
    INVALID = strawberry.enum_value(
        "INVALID", description="A proof failed or a rule is broken (tampered, wrong key...)."
    )
    REVOKED = strawberry.enum_value("REVOKED", description="The issuer revoked it.")
    EXPIRED = strawberry.enum_value("EXPIRED", description="Genuine, but past its expiry date.")
    UNVERIFIABLE = strawberry.enum_value(
        "UNVERIFIABLE",
        description="A check could not be made (unknown context, unreachable key...).",
    )

    @classmethod
    def from_model(cls, status: Status) -> VerificationStatus:
        return cls(status.value)
