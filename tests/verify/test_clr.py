"""CLR 2.0 ClrCredentials: the real signed sample of the specification (signed under the
CLR `context-2.0.1.json`, shipped), a changed byte anywhere in it, an unshipped context, and
the credentials a CLR carries verified each on its own."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credgraph.verify import Check, Outcome, Status, VerificationResult
from tests.verify.helpers import (
    CLR_SIGNED,
    OB3_SIGNED,
    did_key,
    issuer_site,
    ob3_credential,
    real,
    real_path,
    sign_vc_jwt,
    signed_clr,
    verifier,
)

CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
KEY = Ed25519PrivateKey.generate()


def named(result: VerificationResult, name: str) -> list[Check]:
    return [c for c in result.checks if c.name == name]


def one_byte_changed(old: str, new: str) -> dict[str, Any]:
    """The sample's own bytes with the first `old` replaced by `new` (one character apart)."""
    text = real_path(CLR_SIGNED).read_text()
    assert len(old) == len(new) and sum(a != b for a, b in zip(old, new, strict=True)) == 1
    assert old in text
    changed: dict[str, Any] = json.loads(text.replace(old, new, 1))
    return changed


async def test_the_real_clr_sample_verifies_with_the_credential_it_carries() -> None:
    result = await verifier(issuer_site()).verify(document=real(CLR_SIGNED))
    assert result.status is Status.VALID, result.checks
    assert named(result, "contexts")[0].outcome is Outcome.PASSED
    assert named(result, "signature")[0].outcome is Outcome.PASSED
    assert named(result, "verification-method")[0].outcome is Outcome.PASSED
    [embedded] = named(result, "embedded-credential")
    assert embedded.outcome is Outcome.PASSED
    assert embedded.reason.startswith(
        "credential 1 (urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002): VALID"
    )
    assert result.credential_id == "http://example.edu/credentials/3732"
    assert {a.definition.name for a in result.achievements} == {"Achievement 1", "Achievement 2"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"Sample Transcript"', '"Sample Transcripu"'),  # the CLR's own name
        ('"isParentOf"', '"isParentOg"'),  # an association
        ("ebfeb1f712ebc6f1c276e12ec21", "ebfeb1f712ebc6f1c276e12ec22"),  # the learner
        ('"Example University Degree"', '"Example University Degreg"'),  # a carried credential
        ('"cryptosuite": "eddsa-rdfc-2022",\n      "proofPurpose"',
         '"cryptosuite": "eddsa-rdfc-2022",\n      "proofPurposf"'),  # the CLR's proof options
    ],
)  # fmt: skip
async def test_one_changed_byte_in_the_clr_is_caught(old: str, new: str) -> None:
    result = await verifier(issuer_site()).verify(document=one_byte_changed(old, new))
    assert result.status is Status.INVALID, result.checks
    failed = [c.name for c in result.checks if c.outcome is Outcome.FAILED]
    assert failed and failed[0] in ("signature", "proof-purpose", "undefined-terms")
    # A CLR that did not verify makes us open nothing it carries.
    [embedded] = named(result, "embedded-credential")
    assert (
        embedded.outcome is Outcome.NOT_CHECKED and "did not pass its own checks" in embedded.reason
    )


async def test_a_clr_context_we_do_not_ship_is_unverifiable_and_named() -> None:
    # The unversioned clr/v2p0/context.json is not what the sample was signed under, and is
    # not shipped: the answer names it rather than guessing at it or fetching it.
    document = real(CLR_SIGNED)
    document["@context"][1] = "https://purl.imsglobal.org/spec/clr/v2p0/context.json"
    result = await verifier(issuer_site()).verify(document=document)
    assert result.status is Status.UNVERIFIABLE
    [context] = named(result, "contexts")
    assert context.outcome is Outcome.NOT_CHECKED
    assert context.reason == "unknown context https://purl.imsglobal.org/spec/clr/v2p0/context.json"
    assert all(not a.ingested for a in result.achievements)


def clr_carrying(*inside: Any) -> dict[str, Any]:
    return signed_clr(KEY, *inside)


async def test_a_clr_carrying_a_forged_credential_is_invalid() -> None:
    forged = real(OB3_SIGNED)
    forged["credentialSubject"]["achievement"]["name"] = "Leadership"
    result = await verifier(issuer_site()).verify(document=clr_carrying(forged))
    assert result.status is Status.INVALID
    assert named(result, "signature")[0].outcome is Outcome.PASSED  # the CLR's own proof
    [embedded] = named(result, "embedded-credential")
    assert embedded.outcome is Outcome.FAILED
    assert embedded.reason.startswith("credential 1 (http://example.com/credentials/3527): INVALID")
    assert "signature" in embedded.reason


async def test_each_carried_credential_is_reported_on_its_own() -> None:
    other = Ed25519PrivateKey.generate()
    unsigned = ob3_credential(did_key(other))
    result = await verifier(issuer_site()).verify(document=clr_carrying(real(OB3_SIGNED), unsigned))
    assert result.status is Status.VALID, result.checks
    genuine, bare = named(result, "embedded-credential")
    assert genuine.outcome is Outcome.PASSED
    assert bare.outcome is Outcome.NOT_CHECKED and bare.effect is None
    assert bare.reason.endswith("carries no proof of its own")


async def test_a_clr_carrying_a_jwt_string_breaks_the_clr_schema() -> None:
    # CLR 2.0 carries credentials as objects; a compact JWS there is refused by its schema,
    # and nothing it carries is then opened.
    other = Ed25519PrivateKey.generate()
    as_jwt = sign_vc_jwt(ob3_credential(did_key(other)), other)
    result = await verifier(issuer_site()).verify(document=clr_carrying(real(OB3_SIGNED), as_jwt))
    assert result.status is Status.INVALID
    schema = named(result, "schema")[0]
    assert schema.outcome is Outcome.FAILED
    assert "$.credentialSubject.verifiableCredential" in schema.reason
    [embedded] = named(result, "embedded-credential")
    assert (
        embedded.outcome is Outcome.NOT_CHECKED and "did not pass its own checks" in embedded.reason
    )


async def test_a_carried_credential_whose_key_cannot_be_resolved_is_named_not_trusted() -> None:
    result = await verifier(issuer_site(status=503)).verify(document=clr_carrying(real(OB3_SIGNED)))
    assert result.status is Status.VALID  # the CLR's own did:key proof holds
    [embedded] = named(result, "embedded-credential")
    assert embedded.outcome is Outcome.NOT_CHECKED
    assert ": UNVERIFIABLE (verification-method: could not resolve" in embedded.reason
