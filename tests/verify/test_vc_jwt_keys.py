"""Where a VC-JWT's key comes from (VC-JOSE-COSE): the `kid` (a URI, or a fragment of a DID
issuer), the one key of a did:key or did:jwk issuer, and the token's own `jwk` header only
where the issuer is the did:jwk made of it; and RFC 7515's `crit`, which makes a token that
needs what we do not understand INVALID."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credgraph.verify import Outcome, Status, VerificationResult
from tests.verify.helpers import issuer_site, ob3_credential, verifier
from tests.verify.signing import (
    PrivateKey,
    b64,
    did_jwk_of,
    did_key_of,
    jwk_of,
    jwt_claims,
    key_method,
    multikey,
    sign_token,
)

ED25519 = Ed25519PrivateKey.generate()
P256 = ec.generate_private_key(ec.SECP256R1())
P384 = ec.generate_private_key(ec.SECP384R1())


def check(result: VerificationResult, name: str) -> tuple[Outcome, str]:
    found = next(c for c in result.checks if c.name == name)
    return found.outcome, found.reason


def token(issuer: str, key: PrivateKey, alg: str = "EdDSA", **header: Any) -> str:
    return sign_token({"alg": alg, "typ": "JWT", **header}, jwt_claims(ob3_credential(issuer)), key)


@pytest.mark.parametrize(("key", "alg"), [(ED25519, "EdDSA"), (P256, "ES256"), (P384, "ES384")])
async def test_a_did_key_kid_verifies_in_each_algorithm(key: PrivateKey, alg: str) -> None:
    result = await verifier().verify(document=token(did_key_of(key), key, alg, kid=key_method(key)))
    assert result.status is Status.VALID, result.checks
    assert check(result, "signature") == (
        Outcome.PASSED,
        f"{alg} signature verified with {key_method(key)}",
    )


async def test_a_did_key_or_did_jwk_issuer_needs_no_kid() -> None:
    by_key = await verifier().verify(document=token(did_key_of(P256), P256, "ES256"))
    by_jwk = await verifier().verify(document=token(did_jwk_of(ED25519), ED25519))
    assert by_key.status is Status.VALID, by_key.checks
    assert by_jwk.status is Status.VALID, by_jwk.checks


async def test_a_kid_that_is_a_fragment_of_a_did_issuer_resolves_against_it() -> None:
    issuer = did_key_of(ED25519)
    result = await verifier().verify(document=token(issuer, ED25519, kid=f"#{multikey(ED25519)}"))
    assert result.status is Status.VALID, result.checks
    assert check(result, "signing-key")[0] is Outcome.PASSED


async def test_a_did_jwk_kid_verifies_and_only_fragment_0_exists() -> None:
    issuer = did_jwk_of(P256)
    result = await verifier().verify(document=token(issuer, P256, "ES256", kid=f"{issuer}#0"))
    wrong = await verifier().verify(document=token(issuer, P256, "ES256", kid=f"{issuer}#1"))
    assert result.status is Status.VALID, result.checks
    assert wrong.status is Status.INVALID
    assert check(wrong, "signing-key") == (
        Outcome.FAILED,
        "a did:jwk has one verification method, #0, not #1",
    )


async def test_the_jwk_header_of_a_did_jwk_issuer_is_its_key() -> None:
    issuer = did_jwk_of(ED25519)
    result = await verifier().verify(document=token(issuer, ED25519, jwk=jwk_of(ED25519)))
    assert result.status is Status.VALID, result.checks
    assert "the key the issuer's did:jwk is made of" in check(result, "signing-key")[1]


async def test_a_jwk_header_other_than_the_did_jwk_issuers_own_is_invalid() -> None:
    intruder = Ed25519PrivateKey.generate()
    result = await verifier().verify(
        document=token(did_jwk_of(ED25519), intruder, jwk=jwk_of(intruder))
    )
    assert result.status is Status.INVALID
    assert check(result, "signing-key") == (
        Outcome.FAILED,
        "the jwk header is not the key the issuer's did:jwk is made of",
    )


async def test_a_jwk_header_binds_nothing_to_an_https_issuer_but_still_catches_tampering() -> None:
    issuer = "https://example.edu/issuers/565049"
    signed = token(issuer, ED25519, jwk=jwk_of(ED25519))
    result = await verifier(issuer_site()).verify(document=signed)
    head, _, signature = signed.split(".")
    claims = jwt_claims(ob3_credential(issuer, name="Another Badge"))
    forged = f"{head}.{b64(json.dumps(claims).encode())}.{signature}"
    changed = await verifier(issuer_site()).verify(document=forged)
    assert result.status is Status.UNVERIFIABLE
    outcome, reason = check(result, "signing-key")
    assert outcome is Outcome.NOT_CHECKED and "jwk header" in reason and "did:jwk" in reason
    assert check(result, "signature")[0] is Outcome.PASSED
    assert changed.status is Status.INVALID
    assert check(changed, "signature")[0] is Outcome.FAILED


@pytest.mark.parametrize(
    ("crit", "reason"),
    [
        (["b64"], "requires the header extension(s) b64, which we do not understand"),
        (["exp"], "crit lists exp, absent from the header"),
        (["alg"], "crit lists alg, which RFC 7515 defines and crit must not name"),
        ([], "is not a non-empty list of names"),
        ("b64", "is not a non-empty list of names"),
    ],
)
async def test_a_crit_header_we_do_not_understand_makes_the_token_invalid(
    crit: Any, reason: str
) -> None:
    issuer = did_key_of(ED25519)
    extra = {"b64": True} if crit == ["b64"] else {}
    result = await verifier().verify(
        document=token(issuer, ED25519, kid=key_method(ED25519), crit=crit, **extra)
    )
    assert result.status is Status.INVALID
    outcome, said = check(result, "jws-critical")
    assert outcome is Outcome.FAILED and reason in said
    assert "RFC 7515" in said or "crit" in said
    assert check(result, "signature")[0] is Outcome.PASSED  # the signature itself holds


async def test_a_kid_of_a_key_the_did_key_issuer_is_not_is_invalid() -> None:
    other = Ed25519PrivateKey.generate()
    result = await verifier().verify(
        document=token(did_key_of(ED25519), other, kid=key_method(other))
    )
    assert result.status is Status.INVALID
    assert "not the issuer" in check(result, "signing-key")[1]


async def test_out_of_range_nbf_and_exp_are_decided_not_crashed_on() -> None:
    issuer = did_key_of(ED25519)
    claims = jwt_claims(ob3_credential(issuer), nbf=10**20, exp=-(10**20))
    result = await verifier().verify(
        document=sign_token({"alg": "EdDSA", "kid": key_method(ED25519)}, claims, ED25519)
    )
    assert result.status is Status.INVALID
    assert "not valid before" in check(result, "jwt-claims")[1]
    assert check(result, "jwt-expiry")[0] is Outcome.FAILED


@pytest.mark.parametrize(
    ("claims", "failed"),
    [
        ({"exp": "1262304001"}, "jwt-expiry"),  # expired in 2010, written as text
        ({"exp": True}, "jwt-expiry"),
        ({"nbf": "4102444800"}, "jwt-claims"),  # valid from 2100, written as text
        ({"nbf": [1]}, "jwt-claims"),
    ],
)
async def test_dates_that_are_not_numeric_dates_fail_their_check(
    claims: dict[str, object], failed: str
) -> None:
    issuer = did_key_of(ED25519)
    result = await verifier().verify(
        document=sign_token(
            {"alg": "EdDSA", "kid": key_method(ED25519)},
            jwt_claims(ob3_credential(issuer), **claims),
            ED25519,
        )
    )
    assert result.status is Status.INVALID
    outcome, reason = check(result, failed)
    assert outcome is Outcome.FAILED and "is not a NumericDate" in reason
