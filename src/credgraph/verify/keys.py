"""Public keys as issuers write them: PEM (OB 2.0 CryptographicKey), JWK (VC-JWT, did:jwk,
`publicKeyJwk`), Multikey (`publicKeyMultibase`, did:key) and the 2018 suites' base58 Ed25519
keys (`publicKeyBase58`). Where a key is published, and whether it is the issuer's, is
`methods` and `binding`.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from credgraph.verify.errors import Invalid, Unverifiable
from credgraph.verify.multibase import base58btc, base64url, multikey
from credgraph.verify.signatures import PublicKey

_EC_CURVES: dict[str, ec.EllipticCurve] = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}
# Members of a JWK that only a private key has: a document that publishes them leaks its key.
_PRIVATE = frozenset({"d", "p", "q", "dp", "dq", "qi", "k"})


def pem_key(text: Any) -> PublicKey:
    if not isinstance(text, str):
        raise Unverifiable("the key has no publicKeyPem")
    try:
        key = load_pem_public_key(text.encode())
    except ValueError as exc:
        raise Unverifiable(f"publicKeyPem is not a PEM public key ({exc})") from exc
    if not isinstance(key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey, Ed25519PublicKey)):
        raise Unverifiable(f"unsupported key type {type(key).__name__}")
    return key


def jwk_key(jwk: Any) -> PublicKey:
    """A public key from a JWK (RSA, EC P-256 or P-384, OKP Ed25519); a JWK that carries
    private members is refused (Invalid), whatever else it holds."""
    if not isinstance(jwk, dict):
        raise Invalid("the JWK is not an object")
    if _PRIVATE & jwk.keys():
        raise Invalid("the JWK carries private key material")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    try:
        if kty == "RSA":
            n = int.from_bytes(base64url(str(jwk["n"])), "big")
            e = int.from_bytes(base64url(str(jwk["e"])), "big")
            return rsa.RSAPublicNumbers(e, n).public_key()
        if kty == "EC" and crv in _EC_CURVES:
            x = int.from_bytes(base64url(str(jwk["x"])), "big")
            y = int.from_bytes(base64url(str(jwk["y"])), "big")
            return ec.EllipticCurvePublicNumbers(x, y, _EC_CURVES[str(crv)]).public_key()
        if kty == "OKP" and crv == "Ed25519":
            return Ed25519PublicKey.from_public_bytes(base64url(str(jwk["x"])))
    except (KeyError, ValueError, TypeError) as exc:
        raise Invalid(f"unreadable JWK ({type(exc).__name__}: {exc})") from exc
    raise Unverifiable(f"unsupported JWK kty={kty!r} crv={crv!r}")


def method_key(entry: dict[str, Any], method_id: str) -> PublicKey:
    """The public key a verification method describes (Multikey, JWK, or a 2018 base58
    Ed25519 key); Unverifiable when it describes none we read."""
    if isinstance(entry.get("publicKeyMultibase"), str):
        return multikey(entry["publicKeyMultibase"])
    if "publicKeyJwk" in entry:
        return jwk_key(entry["publicKeyJwk"])
    if isinstance(entry.get("publicKeyBase58"), str) and "Ed25519" in str(entry.get("type")):
        try:
            return Ed25519PublicKey.from_public_bytes(base58btc(entry["publicKeyBase58"]))
        except ValueError as exc:
            raise Invalid(f"verification method {method_id}: bad publicKeyBase58 ({exc})") from exc
    raise Unverifiable(f"verification method {method_id} describes no public key we read")
