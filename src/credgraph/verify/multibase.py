"""Multibase base58btc (`z...`) and Multikey Ed25519 public keys (`z6Mk...`, did:key)."""

from __future__ import annotations

from credgraph.verify.errors import Unverifiable

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}
ED25519_PREFIX = b"\xed\x01"  # multicodec ed25519-pub, varint-encoded


def base58btc(text: str) -> bytes:
    """Decode base58 (Bitcoin alphabet); ValueError on a character outside it."""
    number = 0
    for char in text:
        if char not in _INDEX:
            raise ValueError(f"{char!r} is not a base58btc character")
        number = number * 58 + _INDEX[char]
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multibase(value: str) -> bytes:
    """Decode a multibase string; only base58btc (`z`) is used by the suites we verify."""
    if not value.startswith("z"):
        raise Unverifiable(f"multibase prefix {value[:1]!r} is not supported (only 'z')")
    try:
        return base58btc(value[1:])
    except ValueError as exc:
        raise Unverifiable(f"bad multibase value: {exc}") from exc


def ed25519_multikey(value: str) -> bytes:
    """The 32 raw bytes of an Ed25519 Multikey (`z6Mk...`)."""
    raw = multibase(value)
    if not raw.startswith(ED25519_PREFIX) or len(raw) != 34:
        raise Unverifiable(f"{value[:16]}... is not an Ed25519 Multikey")
    return raw[2:]
