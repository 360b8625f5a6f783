"""VerificationResult: the answer of `verifyCredential`, and its resolver."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.scalars import JSON

from credgraph.api.arguments import InvalidArgument
from credgraph.api.context import ApiInfo, store_of
from credgraph.api.http.verify import TooManyVerifications, Verification, current_verification
from credgraph.api.types.issuer import Issuer
from credgraph.api.types.verification_check import VerificationCheck
from credgraph.api.types.verification_recipient import VerificationRecipient
from credgraph.api.types.verification_status import VerificationStatus
from credgraph.api.types.verified_achievement import VerifiedAchievement
from credgraph.verify import VerificationInputError, Verifier
from credgraph.verify import VerificationResult as ResultModel


@strawberry.type(
    description=(
        "The verdict on an award (OB 2.0 assertion, OB 3.0 / CLR credential), every check "
        "made, and the credential it is for, mapped onto the graph."
    )
)
class VerificationResult:
    status: VerificationStatus = strawberry.field(description="The verdict.")
    reason: str = strawberry.field(description="The check that decided the status.")
    kind: str = strawberry.field(
        description="ob2-hosted, ob2-signed, ob3-data-integrity, vc-jwt or unknown."
    )
    checks: list[VerificationCheck] = strawberry.field(
        description="Every check made, in order, with its outcome and reason."
    )
    credential_id: str | None = strawberry.field(
        description="The assertion's or verifiable credential's id."
    )
    recipient: VerificationRecipient | None = strawberry.field(
        description="The recipient as the award gives it (null if it names none)."
    )
    issued_on: datetime | None = strawberry.field(description="issuedOn / validFrom.")
    expires: datetime | None = strawberry.field(description="expires / validUntil, if any.")
    issuer: Issuer | None = strawberry.field(description="The issuer as the award names it.")
    achievements: list[VerifiedAchievement] = strawberry.field(
        description="The definitions awarded (several for a CLR), mapped onto the graph."
    )
    model: strawberry.Private[ResultModel]

    @strawberry.field(description="The first (usually the only) achievement, or null.")
    def achievement(self) -> VerifiedAchievement | None:
        return self.achievements[0] if self.achievements else None

    @strawberry.field(
        description=(
            "Whether `identity` (an email address...) is the recipient, hashed ones included; "
            "null when the award names no recipient."
        )
    )
    def matches_recipient(
        self, identity: Annotated[str, strawberry.argument(description="E.g. an email.")]
    ) -> bool | None:
        return self.model.matches_recipient(identity)

    @classmethod
    def from_model(cls, r: ResultModel) -> VerificationResult:
        return cls(
            status=VerificationStatus.from_model(r.status), reason=r.reason(), kind=r.kind,
            checks=[VerificationCheck.from_model(c) for c in r.checks],
            credential_id=r.credential_id,
            recipient=VerificationRecipient.from_model(r.recipient) if r.recipient else None,
            issued_on=r.issued_on, expires=r.expires,
            issuer=Issuer.from_model(r.issuer) if r.issuer else None,
            achievements=[VerifiedAchievement.from_model(a) for a in r.achievements],
            model=r,
        )  # fmt: skip


async def verify_credential(
    info: ApiInfo, url: str | None, document: JSON | None
) -> VerificationResult:
    """Through the app's Verification (its fetch settings and rate limit) when served, else
    (in-process `credgraph graphql`) a default verifier with the SSRF guard on."""
    served = current_verification()
    # In-process, the verifier (and its worker processes) lives for this one call.
    verification = served or Verification(Verifier(), store_of(info))
    given: dict[str, Any] = {"url": url, "document": document}
    try:
        result = await verification.verify(_client(info), **given)
    except VerificationInputError as exc:
        raise InvalidArgument(str(exc)) from exc
    except TooManyVerifications as exc:
        raise GraphQLError(str(exc), extensions={"code": "RATE_LIMITED"}) from exc
    finally:
        if served is None:
            await verification.verifier.aclose()
    return VerificationResult.from_model(result)


def _client(info: ApiInfo) -> str:
    from credgraph.api.http.request_info import current_request

    request = current_request()
    return (request.client_label or f"ip:{request.client}") if request else "in-process"
