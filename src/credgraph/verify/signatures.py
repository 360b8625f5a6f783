"""Raw signatures of Data Integrity proofs: Ed25519 (64 bytes) and ECDSA written as r || s
(IEEE P1363: 64 bytes for P-256, 96 for P-384), never DER, with the hash the curve goes with.

    key_kind(key)                       "Ed25519", "P-256", "P-384", "RSA" or the curve's name
    signature_matches(key, sig, data)   True, or False for any signature that does not verify

A signature of the wrong length is one that does not verify, not a reason to stop: it is
what a changed proofValue looks like.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_der_public_key,
)

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | Ed25519PublicKey
_CURVES = {"secp256r1": ("P-256", 32), "secp384r1": ("P-384", 48)}


def key_kind(key: PublicKey) -> str:
    if isinstance(key, Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return _CURVES.get(key.curve.name, (key.curve.name, 0))[0]
    return "RSA"


def signature_matches(key: PublicKey, signature: bytes, data: bytes) -> bool:
    """Whether `signature` over `data` verifies under `key` (Ed25519, or ECDSA P-256 with
    SHA-256 / P-384 with SHA-384)."""
    try:
        if isinstance(key, Ed25519PublicKey):
            key.verify(signature, data)
            return True
        if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name in _CURVES:
            size = _CURVES[key.curve.name][1]
            if len(signature) != 2 * size:
                return False
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            digest = hashes.SHA256() if size == 32 else hashes.SHA384()
            key.verify(encode_dss_signature(r, s), data, ec.ECDSA(digest))
            return True
    except InvalidSignature:
        return False
    return False


def to_der(key: PublicKey) -> bytes:
    """The key as SubjectPublicKeyInfo, to hand it to a worker process."""
    return key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def from_der(data: bytes) -> PublicKey:
    key = load_der_public_key(data)
    if not isinstance(key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey, Ed25519PublicKey)):
        raise ValueError(f"unexpected key type {type(key).__name__}")
    return key
