"""OB 3.0 credentials signed here by a did:key issuer (resolved offline): Data Integrity and
VC-JWT, validUntil, and a 1EdTechRevocationList credentialStatus served locally."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credgraph.verify import Outcome, Status, VerificationResult
from tests.crawl.server import CatalogServer, Route
from tests.verify.helpers import (
    did_key,
    ob3_credential,
    sign_data_integrity,
    sign_vc_jwt,
    verifier,
)

KEY = Ed25519PrivateKey.generate()
# 1EdTechRevocationList is defined by the OB 3.0 extensions context, not the core one.
EXTENDED = {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                         "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"]}  # fmt: skip
ISSUER = did_key(KEY)


def check(result: VerificationResult, name: str) -> tuple[Outcome, str]:
    found = next(c for c in result.checks if c.name == name)
    return found.outcome, found.reason


async def test_a_did_key_issuer_verifies_offline() -> None:
    result = await verifier().verify(document=sign_data_integrity(ob3_credential(ISSUER), KEY))
    assert result.status is Status.VALID, result.checks
    assert check(result, "verification-method")[0] is Outcome.PASSED
    assert check(result, "revocation") == (
        Outcome.NOT_CHECKED,
        "no credentialStatus: revocation not checked",
    )


async def test_a_did_key_that_is_not_the_issuer_is_invalid() -> None:
    other = did_key(Ed25519PrivateKey.generate())
    signed = sign_data_integrity(ob3_credential(other), KEY)
    result = await verifier().verify(document=signed)
    assert result.status is Status.INVALID
    outcome, reason = check(result, "verification-method")
    assert outcome is Outcome.FAILED and "not the issuer" in reason


async def test_past_valid_until_is_expired() -> None:
    signed = sign_data_integrity(ob3_credential(ISSUER, validUntil="2020-01-01T00:00:00Z"), KEY)
    result = await verifier().verify(document=signed)
    assert result.status is Status.EXPIRED
    assert result.expires is not None and result.expires.year == 2020


async def test_a_status_type_no_context_defines_is_caught() -> None:
    status = {"id": "https://example.edu/revocations", "type": "1EdTechRevocationList"}
    result = await verifier().verify(
        document=sign_data_integrity(ob3_credential(ISSUER, credentialStatus=status), KEY)
    )
    assert result.status is Status.INVALID
    assert "1EdTechRevocationList" in check(result, "undefined-terms")[1]


async def test_an_undefined_term_cannot_hide_from_the_signature() -> None:
    credential = ob3_credential(ISSUER)
    credential["@context"] = ["https://www.w3.org/2018/credentials/v1",
                              "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                              "https://w3id.org/security/data-integrity/v2"]  # fmt: skip
    credential["notInAnyContext"] = "dropped by canonicalisation, so unsigned"
    result = await verifier().verify(document=sign_data_integrity(credential, KEY))
    assert result.status is Status.INVALID
    outcome, reason = check(result, "undefined-terms")
    assert outcome is Outcome.FAILED and "notInAnyContext" in reason


async def test_the_revocation_list_of_credential_status_is_read() -> None:
    with CatalogServer({}) as server:
        status = {"id": server.url("/revocations"), "type": "1EdTechRevocationList"}
        kept = ob3_credential(ISSUER, credentialStatus=status, **EXTENDED)
        revoked = ob3_credential(ISSUER, id="urn:uuid:revoked", credentialStatus=status, **EXTENDED)
        server.routes["/revocations"] = Route(body=json.dumps({
            "id": server.url("/revocations"), "issuer": ISSUER,
            "revokedCredentials": [{"id": "urn:uuid:revoked", "revocationReason": "Fraud"}],
        }))  # fmt: skip
        fine = await verifier().verify(document=sign_data_integrity(kept, KEY))
        gone = await verifier().verify(document=sign_data_integrity(revoked, KEY))
    assert fine.status is Status.VALID, fine.checks
    assert gone.status is Status.REVOKED
    assert check(gone, "revocation") == (
        Outcome.FAILED,
        f"revoked in {server.url('/revocations')}: Fraud",
    )


async def test_a_vc_jwt_verifies_with_its_did_key() -> None:
    credential = ob3_credential(ISSUER)
    result = await verifier().verify(document=sign_vc_jwt(credential, KEY))
    assert result.status is Status.VALID, result.checks
    assert result.kind == "vc-jwt"
    assert result.achievements[0].definition.name == "Teamwork"


async def test_a_tampered_vc_jwt_is_invalid() -> None:
    token = sign_vc_jwt(ob3_credential(ISSUER), KEY)
    other = sign_vc_jwt(ob3_credential(ISSUER, name="Forged Badge"), Ed25519PrivateKey.generate())
    forged = ".".join([token.split(".")[0], other.split(".")[1], token.split(".")[2]])
    result = await verifier().verify(document=forged)
    assert result.status is Status.INVALID
    assert check(result, "signature")[0] is Outcome.FAILED


async def test_an_expired_vc_jwt_is_expired() -> None:
    result = await verifier().verify(
        document=sign_vc_jwt(ob3_credential(ISSUER), KEY, exp=1577836800)
    )
    assert result.status is Status.EXPIRED
    assert check(result, "jwt-expiry")[0] is Outcome.FAILED


async def test_a_vc_jwt_whose_iss_is_not_the_issuer_is_invalid() -> None:
    token = sign_vc_jwt(ob3_credential(ISSUER), KEY, iss="did:example:someone")
    result = await verifier().verify(document=token)
    assert result.status is Status.INVALID
    assert "iss" in check(result, "jwt-claims")[1]


async def test_a_vc_jwt_with_an_unresolvable_did_is_unverifiable() -> None:
    # did:key and did:web are resolved (tests/verify/test_did_web.py); other methods are not.
    credential = ob3_credential("did:ion:EiClkZMDxPKqC9c")
    token = sign_vc_jwt(credential, KEY, kid="did:ion:EiClkZMDxPKqC9c#key-1")
    result = await verifier().verify(document=token)
    assert result.status is Status.UNVERIFIABLE
    assert check(result, "signing-key")[1].endswith(
        "did:ion keys need a DID resolver we do not run"
    )


async def test_a_credential_given_by_url_is_fetched_and_verified() -> None:
    signed = sign_data_integrity(ob3_credential(ISSUER), KEY)
    with CatalogServer({"/credentials/1": Route(body=json.dumps(signed)),
                        "/badge-page": Route(body="<html><body>My badge</body></html>",
                                             content_type="text/html")}) as server:  # fmt: skip
        result = await verifier().verify(url=server.url("/credentials/1"))
        page = await verifier().verify(url=server.url("/badge-page"))
    assert result.status is Status.VALID, result.checks
    assert page.status is Status.UNVERIFIABLE
    outcome, reason = check(page, "badge-page")
    assert outcome is Outcome.NOT_CHECKED and "links to no award" in reason


async def test_a_badge_page_is_followed_to_the_award_it_links() -> None:
    """A public badge page (as Credly, Badgr and hosted issuers publish) names its award by
    an alternate link or embeds it; the award is verified, one hop only."""
    signed = sign_data_integrity(ob3_credential(ISSUER), KEY)
    linked = (
        '<html><head><link rel="alternate" type="application/ld+json" '
        'href="/credentials/1"></head><body>My badge</body></html>'
    )
    embedded = (
        '<html><head><script type="application/ld+json">'
        + json.dumps(signed)
        + "</script></head></html>"
    )
    loop = '<html><head><link rel="alternate" type="application/json" href="/loop"></head></html>'
    with CatalogServer({"/credentials/1": Route(body=json.dumps(signed)),
                        "/page": Route(body=linked, content_type="text/html"),
                        "/embedded": Route(body=embedded, content_type="text/html"),
                        "/loop": Route(body=loop, content_type="text/html")}) as server:  # fmt: skip
        by_link = await verifier().verify(url=server.url("/page"))
        by_embed = await verifier().verify(url=server.url("/embedded"))
        looping = await verifier().verify(url=server.url("/loop"))
    assert by_link.status is Status.VALID, by_link.checks
    outcome, reason = check(by_link, "badge-page")
    assert outcome is Outcome.PASSED and "/credentials/1" in reason
    assert by_embed.status is Status.VALID, by_embed.checks
    assert looping.status is Status.UNVERIFIABLE  # a page linking to a page: not followed


def test_credly_and_badgr_pages_map_to_their_assertions() -> None:
    from credgraph.verify.pages import award_behind

    credly = "https://www.credly.com/badges/7e5a1d2c-1234-4abc-9def-0123456789ab/public_url"
    assert award_behind(credly, "<html></html>")[0] is None  # not the badge page itself
    page = "https://www.credly.com/badges/7e5a1d2c-1234-4abc-9def-0123456789ab"
    assert award_behind(page, "<html></html>")[0] == (
        "https://api.credly.com/v1/obi/v2/badge_assertions/7e5a1d2c-1234-4abc-9def-0123456789ab"
    )
    badgr = "https://badgr.com/public/assertions/AbC123xyz"
    assert award_behind(badgr, "<html>")[0] == "https://api.badgr.io/public/assertions/AbC123xyz"
    assert award_behind("https://eu.badgr.com/public/assertions/AbC123xyz", "")[0] == (
        "https://api.eu.badgr.io/public/assertions/AbC123xyz"
    )


def _status_list(set_bits: set[int], purpose: str = "revocation") -> dict[str, object]:
    import base64
    import gzip

    bits = bytearray(16 * 1024)  # the spec's minimum: 131,072 entries
    for index in set_bits:
        bits[index // 8] |= 0x80 >> (index % 8)
    encoded = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip("=")
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": ISSUER,
        "credentialSubject": {
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded,
        },
    }


async def test_a_bitstring_status_list_is_read() -> None:
    """W3C Bitstring Status List: the credential's bit in the gzipped list decides; the bit
    order is the spec's (index 0 is the first byte's leftmost bit)."""
    with CatalogServer({}) as server:
        server.routes["/status/1"] = Route(body=json.dumps(_status_list({42, 131071})))
        server.routes["/status/s"] = Route(body=json.dumps(_status_list({7}, "suspension")))

        def entry(index: int, path: str = "/status/1", purpose: str = "revocation") -> object:
            return {
                "id": server.url(f"{path}#{index}"),
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": str(index),
                "statusListCredential": server.url(path),
            }

        async def verify(status: object) -> VerificationResult:
            credential = ob3_credential(ISSUER, credentialStatus=status)
            return await verifier().verify(document=sign_data_integrity(credential, KEY))

        revoked = await verify(entry(42))
        last = await verify(entry(131071))
        fine = await verify(entry(43))
        suspended = await verify(entry(7, "/status/s", "suspension"))
        past_end = await verify(entry(131072))
        mismatch = await verify(entry(7, "/status/s", "revocation"))
    assert revoked.status is Status.REVOKED and last.status is Status.REVOKED
    outcome, reason = check(revoked, "revocation")
    assert outcome is Outcome.FAILED and reason.startswith("revoked: bit 42 of ")
    assert fine.status is Status.VALID, fine.checks
    assert "bit 43 of" in check(fine, "revocation")[1]
    assert suspended.status is Status.REVOKED
    assert check(suspended, "revocation")[1].startswith("suspended: bit 7")
    assert past_end.status is Status.INVALID
    assert mismatch.status is Status.UNVERIFIABLE
    assert "it is a 'suspension' list" in check(mismatch, "revocation")[1]
