"""The subset of CBOR (RFC 8949) an `ecdsa-sd-2023` derived proof is written in: unsigned and
negative integers, byte and text strings, arrays and maps, all of definite length. Tags,
floats and indefinite lengths are refused: the suite forbids tags and uses nothing else.

    value = decode(data)      # ValueError naming what is wrong

Written here rather than taken from a CBOR library: the proof is five values deep at most, and
a decoder that refuses everything else is also one an attacker has little to work with. Every
length is checked against the bytes left before anything is allocated, so a short input
cannot claim a long array.
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 8


def decode(data: bytes) -> Any:
    """The one CBOR item `data` holds; ValueError when it holds anything else or more."""
    value, end = _item(data, 0, 0)
    if end != len(data):
        raise ValueError(f"{len(data) - end} bytes after the CBOR item")
    return value


def _item(data: bytes, at: int, depth: int) -> tuple[Any, int]:
    if depth > MAX_DEPTH:
        raise ValueError(f"CBOR nested deeper than {MAX_DEPTH}")
    major, length, at = _head(data, at)
    if major == 0:
        return length, at
    if major == 1:
        return -1 - length, at
    if major in (2, 3):
        if length > len(data) - at:
            raise ValueError("a CBOR string runs past the end")
        raw = data[at : at + length]
        return (raw if major == 2 else raw.decode("utf-8")), at + length
    if major in (4, 5):
        if length > len(data) - at:  # each entry takes at least one byte
            raise ValueError("a CBOR array or map claims more entries than there are bytes")
        if major == 4:
            items = []
            for _ in range(length):
                value, at = _item(data, at, depth + 1)
                items.append(value)
            return items, at
        mapping: dict[Any, Any] = {}
        for _ in range(length):
            key, at = _item(data, at, depth + 1)
            if not isinstance(key, (int, str, bytes)):
                raise ValueError("a CBOR map key that is not an integer or a string")
            mapping[key], at = _item(data, at, depth + 1)
        return mapping, at
    raise ValueError(f"CBOR major type {major} (tags and floats are not used by the suite)")


def _head(data: bytes, at: int) -> tuple[int, int, int]:
    """(major type, argument, offset after the head)."""
    if at >= len(data):
        raise ValueError("CBOR data ends early")
    first = data[at]
    major, info = first >> 5, first & 0x1F
    if info < 24:
        return major, info, at + 1
    if info > 27:
        raise ValueError("indefinite or reserved CBOR length")
    size = 1 << (info - 24)
    if at + 1 + size > len(data):
        raise ValueError("CBOR data ends early")
    return major, int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size
