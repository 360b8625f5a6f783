"""Multibase values (`z...` base58btc, `u...` base64url) and Multikey public keys: the
key material of Data Integrity proofs and of did:key.

    Ed25519   z6Mk...   multicodec 0xed  (varint ed 01), 32 raw bytes
    P-256     zDna...   multicodec 0x1200 (varint 80 24), 33-byte compressed point
    P-384     z82L...   multicodec 0x1201 (varint 81 24), 49-byte compressed point

A value that is not multibase, or not a key at all, is malformed (`Invalid`); a well-formed key
of a type no suite we verify uses (secp256k1, BLS, X25519, RSA) is `Unverifiable`, named.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from credgraph.verify.errors import Invalid, Unverifiable

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}
ED25519_PREFIX = b"\xed\x01"  # multicodec ed25519-pub, varint-encoded
P256_PREFIX = b"\x80\x24"  # p256-pub
P384_PREFIX = b"\x81\x24"  # p384-pub
_OTHER_KEYS = {b"\xe7\x01": "secp256k1", b"\xeb\x01": "BLS12-381 G2", b"\xec\x01": "X25519",
               b"\x85\x24": "RSA"}  # fmt: skip
# A multibase value long enough for the largest key or signature we read (ecdsa-sd-2023
# proofs are larger, but come base64url-encoded); decoding base58 is quadratic in length.
MAX_BASE58_CHARS = 512

MultikeyPublicKey = Ed25519PublicKey | ec.EllipticCurvePublicKey


def base58btc(text: str) -> bytes:
    """Decode base58 (Bitcoin alphabet); ValueError on a character outside it."""
    number = 0
    for char in text:
        if char not in _INDEX:
            raise ValueError(f"{char!r} is not a base58btc character")
        number = number * 58 + _INDEX[char]
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def base64url(text: str) -> bytes:
    """Decode unpadded base64url; ValueError when it is not."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"not base64url: {exc}") from exc


def multibase(value: str) -> bytes:
    """Decode a multibase string: base58btc (`z`) or base64url without padding (`u`)."""
    if value.startswith("z") and len(value) > MAX_BASE58_CHARS:
        raise Invalid(
            f"a base58btc value of {len(value)} characters, longer than any key or signature"
        )
    try:
        if value.startswith("z"):
            return base58btc(value[1:])
        if value.startswith("u"):
            return base64url(value[1:])
    except ValueError as exc:
        raise Invalid(f"bad multibase value: {exc}") from exc
    raise Invalid(f"multibase prefix {value[:1]!r} is not base58btc ('z') or base64url ('u')")


def multikey(value: str) -> MultikeyPublicKey:
    """The public key a Multikey value (`publicKeyMultibase`, a did:key identifier) encodes."""
    return multicodec_key(multibase(value) if value.startswith("z") else b"", value[:16])


def multicodec_key(raw: bytes, label: str) -> MultikeyPublicKey:
    """The public key of multicodec-prefixed bytes (a Multikey, decoded); `label` names it."""
    prefix, body = raw[:2], raw[2:]
    try:
        if prefix == ED25519_PREFIX and len(body) == 32:
            return Ed25519PublicKey.from_public_bytes(body)
        if prefix == P256_PREFIX and len(body) == 33:
            return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), body)
        if prefix == P384_PREFIX and len(body) == 49:
            return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP384R1(), body)
    except ValueError as exc:  # not a point of the curve
        raise Invalid(f"{label}... is not a valid public key ({exc})") from exc
    if prefix in _OTHER_KEYS:
        raise Unverifiable(
            f"{label}... is a {_OTHER_KEYS[prefix]} key, which no suite we verify uses"
        )
    raise Invalid(f"{label}... is not an Ed25519, P-256 or P-384 Multikey")
