"""Public keys from where issuers publish them: PEM (OB 2.0 CryptographicKey), JWK
(VC-JWT), Multikey (Data Integrity), did:key (resolved offline: the key is the identifier),
did:web (its DID document fetched through the Fetcher, see `did_web`). Other DID methods need a
resolver we do not run, so they are Unverifiable with the method named.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from credgraph.verify.did_web import assertion_method, did_document
from credgraph.verify.errors import Unverifiable
from credgraph.verify.jws import PublicKey, b64url
from credgraph.verify.multibase import ed25519_multikey
from credgraph.verify.remote import Remote


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
    """A public key from a JWK (RSA, EC P-256, OKP Ed25519); never from private members."""
    if not isinstance(jwk, dict):
        raise Unverifiable("the JWK is not an object")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    try:
        if kty == "RSA":
            n = int.from_bytes(b64url(str(jwk["n"])), "big")
            e = int.from_bytes(b64url(str(jwk["e"])), "big")
            return rsa.RSAPublicNumbers(e, n).public_key()
        if kty == "EC" and crv == "P-256":
            x = int.from_bytes(b64url(str(jwk["x"])), "big")
            y = int.from_bytes(b64url(str(jwk["y"])), "big")
            return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
        if kty == "OKP" and crv == "Ed25519":
            return Ed25519PublicKey.from_public_bytes(b64url(str(jwk["x"])))
    except (KeyError, ValueError, Exception) as exc:
        raise Unverifiable(f"unreadable JWK ({type(exc).__name__}: {exc})") from exc
    raise Unverifiable(f"unsupported JWK kty={kty!r} crv={crv!r}")


def did_key_ed25519(did: str) -> bytes:
    """The Ed25519 key a `did:key:z6Mk...` (with or without a fragment) is made of."""
    base, _ = urldefrag(did)
    if not base.startswith("did:key:"):
        raise Unverifiable(f"{base} is not a did:key")
    return ed25519_multikey(base.removeprefix("did:key:"))


def did_method(identifier: str) -> str | None:
    parts = identifier.split(":")
    return parts[1] if len(parts) > 2 and parts[0] == "did" else None


async def resolve_multikey(method_id: str, remote: Remote) -> tuple[bytes, str]:
    """(Ed25519 key, controller) of a verificationMethod. did:key offline; did:web from its DID
    document (through the Fetcher, listed under assertionMethod); an HTTP(S) URL by
    fetching the document it names and finding the method there (a fragment that merely
    looks like a key proves nothing: anyone can write one under an issuer's URL)."""
    if method_id.startswith("did:"):
        method = did_method(method_id)
        base, _ = urldefrag(method_id)
        if method == "key":
            return did_key_ed25519(method_id), base
        if method == "web":
            method_entry = assertion_method(await did_document(base, remote), method_id)
            return _ed25519(method_entry, method_id), str(method_entry.get("controller") or base)
        raise Unverifiable(f"did:{method} verification methods need a DID resolver we do not run")
    base, fragment = urldefrag(method_id)
    if not base.startswith(("https://", "http://")):
        raise Unverifiable(f"verificationMethod {method_id} is neither a did:key nor an HTTP URL")
    document = await remote.json(base)
    entry = _find_method(document, method_id, fragment)
    if entry is None:
        raise Unverifiable(f"{base} does not list the verification method {method_id}")
    controller = entry.get("controller") or (document.get("id") if isinstance(document, dict) else None)
    return _ed25519(entry, method_id), str(controller or base)


def _ed25519(entry: dict[str, Any], method_id: str) -> bytes:
    """The Ed25519 key of a verification method (Multikey or an OKP JWK)."""
    if isinstance(entry.get("publicKeyMultibase"), str):
        return ed25519_multikey(entry["publicKeyMultibase"])
    jwk = entry.get("publicKeyJwk")
    if isinstance(jwk, dict) and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
        return b64url(str(jwk.get("x", "")))
    raise Unverifiable(f"verification method {method_id} has no Ed25519 public key")


def _find_method(document: Any, method_id: str, fragment: str) -> dict[str, Any] | None:
    if not isinstance(document, dict):
        return None
    if document.get("id") == method_id:
        return document
    for key in ("verificationMethod", "assertionMethod", "publicKey"):
        entries = document.get(key)
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, dict) and entry.get("id") in (method_id, f"#{fragment}"):
                return entry
    return None
