"""OB 2.0 signed badges: a compact JWS (RS256) made here with a fresh RSA key, the key served
as the issuer's CryptographicKey, the issuer's revocation list."""

from __future__ import annotations

import pytest

from credgraph.verify import Outcome, Status, VerificationInputError, VerificationResult
from tests.verify.helpers import replace_payload, rsa_key, sign_jws, verifier
from tests.verify.ob2_site import EMAIL, ob2_site


def check(result: VerificationResult, name: str) -> tuple[Outcome, str]:
    found = next(c for c in result.checks if c.name == name)
    return found.outcome, found.reason


async def test_a_signed_assertion_verifies_with_the_issuers_key() -> None:
    with ob2_site() as site:
        token = sign_jws(site.signed_payload(), site.key)
        result = await verifier().verify(document=token)
    assert result.status is Status.VALID, result.checks
    assert result.kind == "ob2-signed"
    assert check(result, "signature")[0] is Outcome.PASSED
    assert check(result, "revocation") == (
        Outcome.PASSED,
        f"not in the revocation list {site.revocations}",
    )
    assert result.matches_recipient(EMAIL) is True
    assert result.achievements[0].definition.name == "Robotics Fundamentals"


async def test_a_tampered_payload_fails_the_signature() -> None:
    with ob2_site() as site:
        token = sign_jws(site.signed_payload(), site.key)
        forged = replace_payload(token, site.signed_payload(expires="2199-01-01T00:00:00Z"))
        result = await verifier().verify(document=forged)
    assert result.status is Status.INVALID
    outcome, reason = check(result, "signature")
    assert outcome is Outcome.FAILED and site.key_id in reason


async def test_a_token_signed_with_another_key_is_invalid() -> None:
    with ob2_site() as site:
        token = sign_jws(site.signed_payload(), rsa_key("someone else"))
        result = await verifier().verify(document=token)
    assert result.status is Status.INVALID
    assert check(result, "signature")[0] is Outcome.FAILED


async def test_a_revoked_signed_assertion_is_revoked() -> None:
    with ob2_site() as site:
        token = sign_jws(site.signed_payload(id="urn:uuid:revoked-1"), site.key)
        result = await verifier().verify(document=token)
    assert result.status is Status.REVOKED
    assert check(result, "revocation") == (
        Outcome.FAILED,
        f"revoked in {site.revocations}: Issued in error.",
    )


async def test_a_key_the_issuer_does_not_own_is_refused() -> None:
    with ob2_site() as site:
        site.serve("/other-key.json", {"id": site.url("/other-key.json"), "owner": site.issuer_id,
                                       "publicKeyPem": "x"})  # fmt: skip
        payload = site.signed_payload(
            verification={"type": "SignedBadge", "creator": site.url("/other-key.json")}
        )
        result = await verifier().verify(document=sign_jws(payload, site.key))
    assert result.status is Status.INVALID
    outcome, reason = check(result, "signing-key")
    assert outcome is Outcome.FAILED and "not among the issuer's publicKey" in reason


async def test_an_algorithm_other_than_rs256_is_refused() -> None:
    with ob2_site() as site:
        token = sign_jws(site.signed_payload(), site.key, alg="none")
        result = await verifier().verify(document=token)
    assert result.status is Status.INVALID
    assert check(result, "jws-algorithm")[0] is Outcome.FAILED


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not.a.jws!", "neither JSON nor a compact JWS"),
        ("e30.bm90IGpzb24.c2ln", "JWS payload is not JSON"),
        ("[1, 2]", "must be an object"),
        ({"hello": "world"}, "not an award we can verify"),
        (42, "must be a JSON object or a string"),
    ],
)
async def test_malformed_input_is_refused_with_a_clear_reason(
    document: object, message: str
) -> None:
    with pytest.raises(VerificationInputError, match=message):
        await verifier().verify(document=document)


async def test_the_decoded_payload_of_a_signed_badge_is_refused() -> None:
    with ob2_site() as site, pytest.raises(VerificationInputError, match="as its JWS"):
        await verifier().verify(document=site.signed_payload())
