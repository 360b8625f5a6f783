"""Credentials signed here in each proof suite credgraph verifies (Ed25519Signature2020,
eddsa-rdfc-2022, eddsa-2022, ecdsa-rdfc-2019 with P-256 and P-384): each verifies for its own
did:key issuer, each is INVALID once a signed byte changes, and a proof that cannot be right
(a key of the wrong kind, a value that is no signature, a chain link that is missing) is
INVALID naming why, while a suite we do not verify is UNVERIFIABLE naming the suite."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credgraph.verify import Outcome, Status, VerificationResult
from tests.verify.helpers import ob3_credential, verifier
from tests.verify.signing import PrivateKey, did_key_of, sign_suite

KEYS: dict[str, PrivateKey] = {
    "Ed25519": Ed25519PrivateKey.generate(),
    "P-256": ec.generate_private_key(ec.SECP256R1()),
    "P-384": ec.generate_private_key(ec.SECP384R1()),
}
SIGNED = [
    ("Ed25519Signature2020", "Ed25519"),
    ("eddsa-rdfc-2022", "Ed25519"),
    ("eddsa-2022", "Ed25519"),
    ("ecdsa-rdfc-2019", "P-256"),
    ("ecdsa-rdfc-2019", "P-384"),
    ("ecdsa-2019", "P-256"),
]


def checks(result: VerificationResult, name: str) -> list[tuple[Outcome, str]]:
    return [(c.outcome, c.reason) for c in result.checks if c.name == name]


ED25519_2020 = "https://w3id.org/security/suites/ed25519-2020/v1"


def signed(suite: str, kind: str) -> dict[str, Any]:
    key = KEYS[kind]
    credential = ob3_credential(did_key_of(key))
    if suite == "Ed25519Signature2020":  # its terms are in its own context, not in VC 2.0's
        credential["@context"] = [*credential["@context"], ED25519_2020]
    return sign_suite(credential, key, suite)


@pytest.mark.parametrize(("suite", "kind"), SIGNED)
async def test_each_suite_verifies_for_its_own_did_key_issuer(suite: str, kind: str) -> None:
    result = await verifier().verify(document=signed(suite, kind))
    assert result.status is Status.VALID, result.checks
    [(outcome, reason)] = checks(result, "signature")
    assert outcome is Outcome.PASSED and reason.startswith(f"{suite} signature verified")


@pytest.mark.parametrize(("suite", "kind"), SIGNED)
async def test_each_suite_catches_a_changed_byte(suite: str, kind: str) -> None:
    document = signed(suite, kind)
    document["credentialSubject"]["achievement"]["name"] += "!"
    by_proof = copy.deepcopy(signed(suite, kind))
    by_proof["proof"]["created"] = "2024-01-01T00:00:01Z"
    for forged in (document, by_proof):
        result = await verifier().verify(document=forged)
        assert result.status is Status.INVALID
        assert checks(result, "signature")[0][0] is Outcome.FAILED


async def test_an_ed25519signature2020_proof_without_its_context_is_invalid() -> None:
    # Without the suite's context, the proof's type, created, purpose and method expand to
    # nothing: canonicalisation drops them, so they are not signed and could be changed.
    document = signed("eddsa-rdfc-2022", "Ed25519")
    document["proof"]["type"] = "Ed25519Signature2020"
    del document["proof"]["cryptosuite"]
    result = await verifier().verify(document=document)
    assert result.status is Status.INVALID
    [(outcome, reason)] = checks(result, "signature")
    assert outcome is Outcome.FAILED
    assert reason.startswith("the proof's terms Ed25519Signature2020, created, proofPurpose")


async def test_a_key_of_another_kind_than_the_suite_signs_with_is_invalid() -> None:
    p256 = KEYS["P-256"]
    document = sign_suite(ob3_credential(did_key_of(p256)), p256, "ecdsa-rdfc-2019")
    document["proof"]["cryptosuite"] = "eddsa-rdfc-2022"
    result = await verifier().verify(document=document)
    assert result.status is Status.INVALID
    [(outcome, reason)] = checks(result, "signature")
    assert (
        outcome is Outcome.FAILED and "is a P-256 key; eddsa-rdfc-2022 signs with Ed25519" in reason
    )


async def test_a_proof_value_that_is_not_multibase_is_invalid() -> None:
    document = signed("eddsa-rdfc-2022", "Ed25519")
    document["proof"]["proofValue"] = "mNotBase58"
    result = await verifier().verify(document=document)
    assert result.status is Status.INVALID
    assert "multibase prefix 'm'" in checks(result, "signature")[0][1]


async def test_a_chained_proof_naming_a_missing_previous_proof_is_invalid() -> None:
    key = KEYS["Ed25519"]
    document = sign_suite(ob3_credential(did_key_of(key)), key, previousProof="urn:uuid:gone")
    result = await verifier().verify(document=document)
    assert result.status is Status.INVALID
    assert (
        "previousProof 'urn:uuid:gone' is not one of the credential's proofs"
        in checks(result, "signature")[0][1]
    )


@pytest.mark.parametrize("suite", ["eddsa-jcs-2022", "bbs-2023", "JsonWebSignature2020"])
async def test_a_suite_we_do_not_verify_is_unverifiable_and_named(suite: str) -> None:
    document = signed("eddsa-rdfc-2022", "Ed25519")
    if suite == "JsonWebSignature2020":
        document["proof"] = {**document["proof"], "type": suite}
        del document["proof"]["cryptosuite"]
    else:
        document["proof"]["cryptosuite"] = suite
    result = await verifier().verify(document=document)
    assert result.status is Status.UNVERIFIABLE
    [(outcome, reason)] = checks(result, "proof")
    assert outcome is Outcome.NOT_CHECKED and suite in reason


async def test_a_secp256k1_did_key_is_unverifiable_not_invalid() -> None:
    document = signed("eddsa-rdfc-2022", "Ed25519")
    secp256k1 = "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"
    document["proof"]["verificationMethod"] = f"{secp256k1}#{secp256k1.removeprefix('did:key:')}"
    result = await verifier().verify(document=document)
    assert result.status is Status.UNVERIFIABLE
    assert (
        "secp256k1 key, which no suite we verify uses"
        in checks(result, "verification-method")[0][1]
    )
