"""Status and revocation are checked whenever they can be, whatever else failed: a revoked
credential that also expired is REVOKED, a forged one that names a revocation list still has
its status read (and stays INVALID), and no check says the proof failed when it held."""

from __future__ import annotations

from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credgraph.verify import Outcome, Status, VerificationResult
from tests.verify.helpers import did_key, ob3_credential, sign_data_integrity, verifier

KEY = Ed25519PrivateKey.generate()
LIST = "https://status.example/revocations"
CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"]  # fmt: skip


def revocations(*revoked: str) -> httpx.MockTransport:
    listing = {"id": LIST, "type": "RevocationList",
               "revokedCredentials": [{"id": r, "revocationReason": "withdrawn"} for r in revoked]}  # fmt: skip
    return httpx.MockTransport(
        lambda request: (
            httpx.Response(200, json=listing) if str(request.url) == LIST else httpx.Response(404)
        )
    )


def credential(**changes: Any) -> dict[str, Any]:
    status = {"id": LIST, "type": "1EdTechRevocationList"}
    return sign_data_integrity(
        ob3_credential(
            did_key(KEY), **{"@context": CONTEXTS, "credentialStatus": status, **changes}
        ),
        KEY,
    )


def check(result: VerificationResult, name: str) -> tuple[Outcome, str]:
    found = next(c for c in result.checks if c.name == name)
    return found.outcome, found.reason


async def test_revoked_and_expired_is_revoked() -> None:
    document = credential(validUntil="2020-01-01T00:00:00Z")
    result = await verifier(revocations(document["id"])).verify(document=document)
    assert result.status is Status.REVOKED
    assert check(result, "expiry")[0] is Outcome.FAILED
    assert check(result, "revocation") == (Outcome.FAILED, f"revoked in {LIST}: withdrawn")


async def test_an_expired_credential_still_has_its_status_read() -> None:
    result = await verifier(revocations()).verify(
        document=credential(validUntil="2020-01-01T00:00:00Z")
    )
    assert result.status is Status.EXPIRED
    assert check(result, "revocation") == (Outcome.PASSED, f"not in the revocation list {LIST}")
    assert not any("did not verify" in c.reason for c in result.checks)


async def test_a_forged_credential_is_invalid_and_its_revocation_is_still_reported() -> None:
    document = credential()
    document["credentialSubject"]["achievement"]["name"] = "Another Badge"
    result = await verifier(revocations(document["id"])).verify(document=document)
    assert result.status is Status.INVALID
    assert check(result, "signature")[0] is Outcome.FAILED
    assert check(result, "revocation")[0] is Outcome.FAILED  # read all the same, and said


async def test_an_unreachable_list_leaves_the_status_unknown() -> None:
    result = await verifier(httpx.MockTransport(lambda r: httpx.Response(503))).verify(
        document=credential()
    )
    assert result.status is Status.UNVERIFIABLE
    outcome, reason = check(result, "revocation")
    assert outcome is Outcome.NOT_CHECKED and reason.startswith(
        f"revocation list {LIST} could not be read"
    )
    assert check(result, "signature")[0] is Outcome.PASSED
