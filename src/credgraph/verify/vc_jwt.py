"""OB 3.0 / CLR credentials as VC-JWT (OB 3.0 §8.2 "JSON Web Token Proof Format"): a compact
JWS (RS256, ES256 or EdDSA) whose claims carry the credential (in `vc`, or as the claims
themselves), with `iss` = issuer id, `jti` = credential id, `sub` = subject id, `nbf`/`exp`.

The key is found from the header `kid`: a did:key (resolved offline), a did:web (its DID
document, which must list the key under assertionMethod) or an HTTP URL to a JWK, a JWK Set or
a document listing the method with `publicKeyJwk`; a DID must be the issuer's own. A key the
token carries itself (`jwk`) is not bound to anyone, and other DID methods need a resolver we
do not run: both are reported UNVERIFIABLE with the reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urldefrag, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from credgraph.errors import FetchError
from credgraph.verify.did_web import assertion_method, did_document
from credgraph.verify.draft import Draft
from credgraph.verify.errors import Unverifiable
from credgraph.verify.jws import CompactJws, PublicKey, signature_valid
from credgraph.verify.keys import did_key_ed25519, did_method, jwk_key
from credgraph.verify.multibase import ed25519_multikey
from credgraph.verify.ob3 import credential_facts, issuer_id_of
from credgraph.verify.remote import Remote
from credgraph.verify.result import Status
from credgraph.verify.workers import Allowance

ALGORITHMS = ("EdDSA", "ES256", "RS256")


def credential_of(claims: dict[str, Any]) -> dict[str, Any] | None:
    vc = claims.get("vc")
    if isinstance(vc, dict):
        return vc
    return claims if "credentialSubject" in claims else None


async def verify_vc_jwt(
    draft: Draft, remote: Remote, compute: Allowance, jws: CompactJws, now: datetime
) -> None:
    checks = draft.checks
    claims = jws.payload if isinstance(jws.payload, dict) else {}
    credential = credential_of(claims)
    if credential is None:
        checks.failed("jwt-claims", "the JWT carries no credential (no vc claim, no credentialSubject)")
        return
    if jws.alg not in ALGORITHMS:
        checks.failed("jws-algorithm", f"alg {jws.alg!r} is not one of {', '.join(ALGORITHMS)}")
    else:
        checks.passed("jws-algorithm", jws.alg)
        await _check_signature(draft, remote, jws, issuer_id_of(credential))
    _check_claims(draft, claims, credential, now)
    await credential_facts(draft, remote, compute, credential, now)


async def _check_signature(
    draft: Draft, remote: Remote, jws: CompactJws, issuer: str | None
) -> None:
    checks = draft.checks
    try:
        key, kid = await _key(jws, remote, issuer)
    except (Unverifiable, FetchError) as exc:
        checks.not_checked("signing-key", str(exc))
        return
    checks.passed("signing-key", f"{kid} is the issuer's")
    if signature_valid(jws, key):
        checks.passed("signature", f"{jws.alg} signature verified with {kid}")
    else:
        checks.failed("signature", f"the {jws.alg} signature does not verify with {kid}")


async def _key(jws: CompactJws, remote: Remote, issuer: str | None) -> tuple[PublicKey, str]:
    kid = jws.header.get("kid")
    if not isinstance(kid, str):
        if "jwk" in jws.header:
            raise Unverifiable("the token carries its own key (jwk header), which nothing binds to the issuer")
        raise Unverifiable("the JOSE header names no kid")
    base = urldefrag(kid)[0]
    if kid.startswith("did:"):
        if did_method(kid) not in ("key", "web"):
            raise Unverifiable(f"did:{did_method(kid)} keys need a DID resolver we do not run")
        if base != issuer:
            raise Unverifiable(f"kid {kid} is not the issuer {issuer}'s key")
        if did_method(kid) == "web":
            return _did_web_key(await did_document(base, remote), kid), kid
        return Ed25519PublicKey.from_public_bytes(did_key_ed25519(kid)), kid
    if not kid.startswith(("https://", "http://")):
        raise Unverifiable(f"kid {kid!r} is neither a did:key nor an HTTP URL")
    if not issuer or urlsplit(kid).hostname != urlsplit(issuer).hostname:
        raise Unverifiable(f"kid {kid} is not on the issuer {issuer}'s host")
    document = await remote.json(base)
    return jwk_key(_find_jwk(document, kid)), kid


def _did_web_key(document: dict[str, Any], kid: str) -> PublicKey:
    """The key `kid` names in a did:web document, if the DID lists it under assertionMethod."""
    entry = assertion_method(document, kid)
    if isinstance(entry.get("publicKeyJwk"), dict):
        return jwk_key(entry["publicKeyJwk"])
    if isinstance(entry.get("publicKeyMultibase"), str):
        return Ed25519PublicKey.from_public_bytes(ed25519_multikey(entry["publicKeyMultibase"]))
    raise Unverifiable(f"verification method {kid} has no public key we read")


def _find_jwk(document: Any, kid: str) -> Any:
    if not isinstance(document, dict):
        raise Unverifiable(f"{kid} did not answer a JSON object")
    if "kty" in document:
        return document
    for entry in document.get("keys") or document.get("verificationMethod") or []:
        if isinstance(entry, dict) and (entry.get("kid") == kid or entry.get("id") == kid
                                        or f"#{entry.get('kid')}" == f"#{urldefrag(kid)[1]}"):
            return entry.get("publicKeyJwk", entry)
    raise Unverifiable(f"no JWK for {kid} at {urldefrag(kid)[0]}")


def _check_claims(
    draft: Draft, claims: dict[str, Any], credential: dict[str, Any], now: datetime
) -> None:
    checks = draft.checks
    problems = []
    issuer = issuer_id_of(credential)
    if claims.get("iss") is not None and claims.get("iss") != issuer:
        problems.append(f"iss {claims.get('iss')!r} is not the issuer {issuer!r}")
    if claims.get("jti") is not None and credential.get("id") and claims["jti"] != credential["id"]:
        problems.append(f"jti {claims['jti']!r} is not the credential id")
    subject = credential.get("credentialSubject")
    sub_id = subject.get("id") if isinstance(subject, dict) else None
    if claims.get("sub") is not None and sub_id and claims["sub"] != sub_id:
        problems.append(f"sub {claims['sub']!r} is not the subject id")
    nbf = claims.get("nbf")
    if isinstance(nbf, (int, float)) and datetime.fromtimestamp(nbf, UTC) > now:
        problems.append(f"not valid before {datetime.fromtimestamp(nbf, UTC).isoformat()} (nbf)")
    if problems:
        checks.failed("jwt-claims", "; ".join(problems))
    else:
        checks.passed("jwt-claims", "iss, jti, sub and nbf agree with the credential")
    exp = claims.get("exp")
    if isinstance(exp, (int, float)) and datetime.fromtimestamp(exp, UTC) <= now:
        checks.failed("jwt-expiry", f"the token expired on {datetime.fromtimestamp(exp, UTC).isoformat()}", Status.EXPIRED)
