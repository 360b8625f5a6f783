"""did:web issuers: the DID document fetched over real HTTPS from a local server, through the
Fetcher (the SSRF guard refuses a did:web naming a private address before any request), and
the strict key binding: the key must be the issuer DID's own and listed under assertionMethod."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credgraph.verify import Outcome, Status, VerificationResult
from credgraph.verify.did_web import did_web_url
from credgraph.verify.errors import Unverifiable
from tests.verify.did_web_site import did_document, did_web_site, verifier
from tests.verify.helpers import ob3_credential, sign_data_integrity, sign_vc_jwt

KEY = Ed25519PrivateKey.generate()


def check(result: VerificationResult, name: str) -> tuple[Outcome, str]:
    found = next(c for c in result.checks if c.name == name)
    return found.outcome, found.reason


def test_a_did_web_names_its_document_url() -> None:
    assert did_web_url("did:web:example.edu") == "https://example.edu/.well-known/did.json"
    assert did_web_url("did:web:example.edu%3A8443#key-1") == (
        "https://example.edu:8443/.well-known/did.json"
    )
    assert (
        did_web_url("did:web:example.edu:issuers:42") == "https://example.edu/issuers/42/did.json"
    )
    for hostile in ("did:web:user@example.edu", "did:web:example.edu:..:admin",
                    "did:web:example.edu:%2E%2E", "did:web:example.edu:a%2Fb", "did:web:",
                    "did:web:example.edu%2Fevil"):  # fmt: skip
        with pytest.raises(Unverifiable):
            did_web_url(hostile)


async def test_a_did_web_issuer_verifies_over_https() -> None:
    with did_web_site() as site:
        site.publish(site.did, did_document(site.did, KEY))
        credential = ob3_credential(site.did)
        result = await verifier().verify(
            document=sign_data_integrity(credential, KEY, f"{site.did}#key-1")
        )
        hits = [hit.path for hit in site.server.log if hit.path != "/robots.txt"]
    assert result.status is Status.VALID, result.checks
    outcome, reason = check(result, "verification-method")
    assert outcome is Outcome.PASSED and reason.endswith("resolved; controlled by the issuer")
    assert hits == ["/.well-known/did.json"]


async def test_the_path_form_and_a_jwk_key_resolve() -> None:
    with did_web_site() as site:
        did = site.path_did("issuers", "7")
        site.publish(did, did_document(did, KEY, jwk=True))
        result = await verifier().verify(
            document=sign_data_integrity(ob3_credential(did), KEY, f"{did}#key-1")
        )
        hits = [hit.path for hit in site.server.log if hit.path != "/robots.txt"]
    assert result.status is Status.VALID, result.checks
    assert hits == ["/issuers/7/did.json"]


async def test_a_vc_jwt_whose_kid_is_a_did_web_verifies() -> None:
    with did_web_site() as site:
        site.publish(site.did, did_document(site.did, KEY))
        token = sign_vc_jwt(ob3_credential(site.did), KEY, kid=f"{site.did}#key-1")
        result = await verifier().verify(document=token)
        forged = sign_vc_jwt(ob3_credential(site.did), Ed25519PrivateKey.generate(),
                             kid=f"{site.did}#key-1")  # fmt: skip
        wrong = await verifier().verify(document=forged)
    assert result.status is Status.VALID, result.checks
    assert wrong.status is Status.INVALID
    assert check(wrong, "signature")[0] is Outcome.FAILED


async def test_a_key_its_did_document_does_not_list_for_assertion_is_disowned() -> None:
    # The issuer's own DID document answered and lists the key for authentication only: the
    # issuer has said which keys sign for it, and this is not one (INVALID, not UNVERIFIABLE).
    with did_web_site() as site:
        site.publish(site.did, did_document(site.did, KEY, relation="authentication"))
        result = await verifier().verify(
            document=sign_data_integrity(ob3_credential(site.did), KEY, f"{site.did}#key-1")
        )
    assert result.status is Status.INVALID
    outcome, reason = check(result, "verification-method")
    assert outcome is Outcome.FAILED
    assert f"does not list {site.did}#key-1 under assertionMethod" in reason


async def test_a_document_that_is_another_dids_is_not_trusted() -> None:
    with did_web_site() as site:
        site.publish(site.did, did_document("did:web:attacker.example", KEY))
        result = await verifier().verify(
            document=sign_data_integrity(ob3_credential(site.did), KEY, f"{site.did}#key-1")
        )
    assert result.status is Status.UNVERIFIABLE
    assert "is for 'did:web:attacker.example'" in check(result, "verification-method")[1]


async def test_a_did_web_key_of_someone_other_than_the_issuer_is_invalid() -> None:
    with did_web_site() as site:
        other = site.path_did("people", "mallory")
        site.publish(other, did_document(other, KEY))
        # Signed by Mallory's key, claiming the site's own DID as issuer: while the site's DID
        # document does not answer nothing can tell; once it answers without her key, it
        # disowns it.
        signed = sign_data_integrity(ob3_credential(site.did), KEY, f"{other}#key-1")
        unanswered = await verifier().verify(document=signed)
        site.publish(site.did, did_document(site.did, Ed25519PrivateKey.generate()))
        result = await verifier().verify(document=signed)
        controlled = site.path_did("issuers", "8")
        site.publish(controlled, did_document(controlled, KEY, controller=other))
        delegated = sign_data_integrity(ob3_credential(controlled), KEY, f"{controlled}#key-1")
        by_other = await verifier().verify(document=delegated)
    assert unanswered.status is Status.UNVERIFIABLE
    assert check(unanswered, "signature")[0] is Outcome.PASSED
    assert result.status is Status.INVALID
    outcome, reason = check(result, "verification-method")
    assert outcome is Outcome.FAILED and f"controlled by {other}, not the issuer" in reason
    assert by_other.status is Status.INVALID  # a key another DID controls signs nothing here


async def test_a_tampered_credential_is_invalid() -> None:
    with did_web_site() as site:
        site.publish(site.did, did_document(site.did, KEY))
        signed = sign_data_integrity(ob3_credential(site.did), KEY, f"{site.did}#key-1")
        signed["credentialSubject"]["achievement"]["name"] = "Leadership"
        result = await verifier().verify(document=signed)
    assert result.status is Status.INVALID
    assert check(result, "signature")[0] is Outcome.FAILED


async def test_with_the_guard_on_a_did_web_on_a_private_address_is_refused() -> None:
    with did_web_site() as site:
        site.publish(site.did, did_document(site.did, KEY))
        signed = sign_data_integrity(ob3_credential(site.did), KEY, f"{site.did}#key-1")
        result = await verifier(guard=True).verify(document=signed)
        token = sign_vc_jwt(ob3_credential(site.did), KEY, kid=f"{site.did}#key-1")
        jwt = await verifier(guard=True).verify(document=token)
        hits = list(site.server.log)
    assert result.status is Status.UNVERIFIABLE
    outcome, reason = check(result, "verification-method")
    assert outcome is Outcome.NOT_CHECKED and "refused" in reason and "private" in reason
    assert jwt.status is Status.UNVERIFIABLE and "refused" in check(jwt, "signing-key")[1]
    assert hits == []  # refused before any request reached the server
