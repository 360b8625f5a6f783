"""VerificationRecipient: the recipient as the award gives it."""

from __future__ import annotations

import strawberry

from credgraph.verify import Recipient


@strawberry.type(
    description=(
        "The recipient as the award gives it: a hashed identity stays hashed (test an email "
        "with `matchesRecipient`)."
    )
)
class VerificationRecipient:
    type: str | None = strawberry.field(description="email, url, telephone, id...")
    identity: str = strawberry.field(description="Plain, or `sha256$<hex>` / `md5$<hex>`.")
    hashed: bool = strawberry.field(description="Whether `identity` is a hash.")
    salt: str | None = strawberry.field(description="The salt hashed with the identity.")

    @classmethod
    def from_model(cls, recipient: Recipient) -> VerificationRecipient:
        return cls(type=recipient.type, identity=recipient.identity, hashed=recipient.hashed,
                   salt=recipient.salt)  # fmt: skip
