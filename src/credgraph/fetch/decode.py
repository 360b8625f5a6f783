"""Bodies to text: declared charset, byte-order marks, UTF-8, an HTML meta charset; gzip files."""

from __future__ import annotations

import codecs
import gzip
import re
import zlib

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class DecodeError(ValueError):
    pass


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip().strip('"').lower()
    return None


def decode_body(body: bytes, content_type: str | None) -> str:
    """Text of a body. Raises DecodeError when no charset is declared and it is not UTF-8."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace")
    declared = charset_from_content_type(content_type)
    if declared is None and b"<" in body[:1024]:
        found = _META_CHARSET.search(body[:4096])
        declared = found.group(1).decode("ascii").lower() if found else None
    if declared:
        try:
            codecs.lookup(declared)
        except LookupError as exc:
            raise DecodeError(f"unknown charset {declared!r}") from exc
        try:
            return body.decode(declared)
        except UnicodeDecodeError as exc:
            raise DecodeError(f"body is not valid {declared} at byte {exc.start}") from exc
        except (LookupError, UnicodeError, ValueError) as exc:
            # a codec that is no text encoding ("hex", "base64"), or one that fails its own
            # way ("punycode")
            raise DecodeError(f"charset {declared!r} does not decode text: {exc}") from exc
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"body is not valid UTF-8 (byte {exc.start}) and declares no charset"
        ) from exc


def gunzip_capped(body: bytes, max_bytes: int) -> bytes:
    """Decompress a .gz file (e.g. sitemap.xml.gz), refusing to inflate past `max_bytes`."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise DecodeError(f"corrupt gzip data: {exc}") from exc
    if len(out) > max_bytes:
        raise DecodeError(f"gzip body inflates past the {max_bytes:,}-byte cap")
    return out


def is_gzip(body: bytes) -> bool:
    return body[:2] == b"\x1f\x8b"


__all__ = ["DecodeError", "decode_body", "gunzip_capped", "gzip", "is_gzip"]
