"""OB 3.0 / CLR credentials as VC-JWT (OB 3.0 §8.2 "JSON Web Token Proof Format"): a compact
JWS (RS256, ES256, ES384 or EdDSA) whose claims carry the credential (in `vc`, or as the claims
themselves), with `iss` = issuer id, `jti` = credential id, `sub` = subject id, `nbf`/`exp`.

Where the key comes from (VC-JOSE-COSE, "Key Discovery"):

    kid, a URI                  resolved like a Data Integrity verificationMethod (`methods`)
                                and tied to the issuer like one (`binding`)
    kid, a bare fragment        a DID URL of the issuer's own DID (`#key-1` of did:web:...)
    no kid, a did:key/did:jwk   the one key the issuer's identifier spells
    jwk (the token's own key)   only where the issuer id binds it: a did:jwk made of that JWK;
                                any other is checked (to tell a changed token) but not trusted

A token whose `crit` header lists what we do not understand (anything: we implement no
extension) is INVALID, per RFC 7515 §4.1.11.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urldefrag

from credgraph.errors import FetchError
from credgraph.verify.binding import bind
from credgraph.verify.draft import Draft
from credgraph.verify.errors import Invalid, Unverifiable
from credgraph.verify.jws import CompactJws, critical_headers, signature_valid
from credgraph.verify.keys import jwk_key
from credgraph.verify.methods import OFFLINE_METHODS, did_jwk, did_method, key_in, resolve
from credgraph.verify.ob3 import credential_facts
from credgraph.verify.proofs import issuer_id_of
from credgraph.verify.remote import Remote
from credgraph.verify.result import Outcome, Status
from credgraph.verify.signatures import PublicKey, to_der
from credgraph.verify.workers import Allowance

ALGORITHMS = ("EdDSA", "ES256", "ES384", "RS256")
_SIGNING_KEY = "signing-key"


@dataclass(frozen=True, slots=True)
class SigningKey:
    """The key to check the signature with (None: none to check), whether it is the issuer's,
    and why."""

    key: PublicKey | None
    outcome: Outcome
    reason: str
    name: str = "the token's key"


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
        checks.failed(
            "jwt-claims", "the JWT carries no credential (no vc claim, no credentialSubject)"
        )
        return
    try:
        critical_headers(jws.header)
    except Invalid as exc:
        checks.failed("jws-critical", exc.reason)
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
    found = await signing_key(jws, remote, issuer)
    if found.outcome is Outcome.PASSED:
        checks.passed(_SIGNING_KEY, found.reason)
    elif found.outcome is Outcome.FAILED:
        checks.failed(_SIGNING_KEY, found.reason)
    else:
        checks.not_checked(_SIGNING_KEY, found.reason)
    if found.key is None:
        return
    if signature_valid(jws, found.key):
        checks.passed("signature", f"{jws.alg} signature verified with {found.name}")
    else:
        checks.failed("signature", f"the {jws.alg} signature does not verify with {found.name}")


async def signing_key(jws: CompactJws, remote: Remote, issuer: str | None) -> SigningKey:
    """The key the token's signature is checked with, and whether it is the issuer's."""
    kid, jwk = jws.header.get("kid"), jws.header.get("jwk")
    if kid is None and jwk is not None:
        return _header_jwk(jwk, issuer)
    if kid is None and issuer and did_method(issuer) in OFFLINE_METHODS:
        did = urldefrag(issuer)[0]
        kid = f"{did}#0" if did_method(did) == "jwk" else f"{did}#{did.removeprefix('did:key:')}"
    if not isinstance(kid, str):
        return SigningKey(
            None, Outcome.NOT_CHECKED, "the JOSE header names no kid and carries no key"
        )
    try:
        method_id = _absolute(kid, issuer)
        method = await resolve(method_id, remote)
    except Invalid as exc:
        return SigningKey(None, Outcome.FAILED, exc.reason)
    except (Unverifiable, FetchError) as exc:
        fallback = key_in(kid) if ":" in kid else None
        return SigningKey(fallback, Outcome.NOT_CHECKED, f"could not resolve {kid}: {exc}", kid)
    try:
        return SigningKey(method.key, Outcome.PASSED, await bind(method, issuer, remote), kid)
    except Invalid as exc:
        return SigningKey(method.key, Outcome.FAILED, exc.reason, kid)
    except (Unverifiable, FetchError) as exc:
        return SigningKey(
            method.key, Outcome.NOT_CHECKED, f"could not tie {kid} to the issuer: {exc}", kid
        )


def _absolute(kid: str, issuer: str | None) -> str:
    """`kid` as a verification method id: a URI as it is, a bare fragment against a DID issuer."""
    if ":" in kid:
        return kid
    if issuer and did_method(issuer):
        return f"{urldefrag(issuer)[0]}#{kid.removeprefix('#')}"
    raise Invalid(f"kid {kid[:80]!r} is neither a URI nor a fragment of a DID issuer")


def _header_jwk(jwk: Any, issuer: str | None) -> SigningKey:
    try:
        key = jwk_key(jwk)
    except Invalid as exc:
        return SigningKey(None, Outcome.FAILED, f"the jwk header: {exc.reason}")
    except Unverifiable as exc:
        return SigningKey(None, Outcome.NOT_CHECKED, f"the jwk header: {exc.reason}")
    if issuer and did_method(issuer) == "jwk":
        try:
            own = to_der(jwk_key(did_jwk(issuer)))
        except (Invalid, Unverifiable) as exc:
            return SigningKey(key, Outcome.FAILED, f"the issuer's did:jwk: {exc.reason}")
        if own == to_der(key):
            return SigningKey(
                key, Outcome.PASSED, "the jwk header is the key the issuer's did:jwk is made of"
            )
        return SigningKey(
            key, Outcome.FAILED, "the jwk header is not the key the issuer's did:jwk is made of"
        )
    return SigningKey(key, Outcome.NOT_CHECKED,
                      f"the token carries its own key (jwk header), which nothing binds to the issuer "
                      f"{issuer}: only a did:jwk issuer's own key is taken from the header (VC-JOSE-COSE)")  # fmt: skip


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
    nbf = _instant(claims.get("nbf"))
    if nbf is not None and nbf > now:
        problems.append(f"not valid before {nbf.isoformat()} (nbf)")
    elif nbf is None and claims.get("nbf") is not None:
        problems.append(_not_numeric_date("nbf", claims["nbf"]))
    if problems:
        checks.failed("jwt-claims", "; ".join(problems))
    else:
        checks.passed("jwt-claims", "iss, jti, sub and nbf agree with the credential")
    exp = _instant(claims.get("exp"))
    if exp is not None and exp <= now:
        checks.failed("jwt-expiry", f"the token expired on {exp.isoformat()}", Status.EXPIRED)
    elif exp is None and claims.get("exp") is not None:
        # "1262304001" as a string was read as no expiry at all: an expired token VALID
        checks.failed("jwt-expiry", _not_numeric_date("exp", claims["exp"]))


def _not_numeric_date(claim: str, value: Any) -> str:
    return (
        f"{claim} {str(value)[:80]!r} is not a NumericDate (a number of seconds since "
        "1970, RFC 7519): the token's dates cannot be read"
    )


def _instant(value: Any) -> datetime | None:
    """A NumericDate claim as a datetime; None when absent, and the far past or future
    (beyond what a datetime holds) for one out of range, so it still decides its check."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value != value:
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return datetime.max.replace(tzinfo=UTC) if value > 0 else datetime.min.replace(tzinfo=UTC)
