"""W3C Bitstring Status List entries (`BitstringStatusListEntry`, and its predecessor
`StatusList2021Entry`): a bit per credential in a gzipped, base64url list, published as a
credential of its own (`status_credential` decides whether that list may be read).

    bit set     revocation: REVOKED ("revoked"), suspension: REVOKED ("suspended")
    bit clear   PASSED
    unreadable, or a list that may not be read    NOT_CHECKED (UNVERIFIABLE)

A list is up to 1 MB of JSON and 16 MB inflated: it is parsed and inflated in a check worker
(`decode_list`, within the verification's allowance), once per verification however many
entries name it (`Remote.decoded`).
"""

from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from credgraph.errors import FetchError
from credgraph.verify.errors import Unverifiable
from credgraph.verify.limits import bounded_json
from credgraph.verify.malformed import shape
from credgraph.verify.remote import Remote
from credgraph.verify.result import Checks, Status
from credgraph.verify.status_credential import readable_list
from credgraph.verify.workers import Allowance

NAME = "revocation"
BITSTRING_TYPES = frozenset({"BitstringStatusListEntry", "StatusList2021Entry"})
MAX_LIST_BYTES = 16 * 1024 * 1024  # decompressed; the spec's minimum list is 16 KB
_FAILING_PURPOSES = {"revocation": "revoked", "suspension": "suspended"}


def _bits(encoded: str) -> bytes:
    """The decompressed bitstring of an `encodedList` (multibase base64url `u...`, or plain
    base64url as StatusList2021 wrote it)."""
    text = encoded[1:] if encoded.startswith("u") else encoded
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    inflater = zlib.decompressobj(wbits=31)  # gzip
    bits = inflater.decompress(raw, MAX_LIST_BYTES)
    if inflater.unconsumed_tail:
        raise ValueError(f"the list is over {MAX_LIST_BYTES} bytes decompressed")
    return bits


@dataclass(frozen=True, slots=True)
class Decoded:
    """A status list credential's JSON, and its bitstring or why that could not be read."""

    listing: Any
    bits: bytes | None
    unreadable: str | None


def decode_list(text: str) -> Decoded:
    """Runs in a check worker: the JSON of a status list credential and its inflated list.
    Unverifiable when it is not JSON; a list that cannot be inflated is said in `unreadable`
    (what the credential is, checked after, may be the better reason)."""
    listing = bounded_json(text, "it")  # sent back to the verification and read there
    subject = _subject(listing)
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str):
        return Decoded(listing, None, "its credentialSubject has no encodedList")
    try:
        return Decoded(listing, _bits(encoded), None)
    except (ValueError, binascii.Error, zlib.error) as exc:
        return Decoded(listing, None, str(exc))


def _subject(listing: Any) -> dict[str, Any]:
    found = listing.get("credentialSubject") if isinstance(listing, dict) else None
    found = found[0] if isinstance(found, list) and found else found
    return found if isinstance(found, dict) else {}


@dataclass(frozen=True, slots=True)
class _Readable:
    caveat: str  # what to say with what it shows (whether its proof holds)
    purpose: Any  # the list's own statusPurpose, when it says one
    bits: bytes


async def _readable(url: str, remote: Remote, compute: Allowance, now: datetime) -> _Readable:
    """The list at `url`, read once per verification; Unverifiable (or FetchError) when it
    may not be read, kept too, so every entry naming it gets the same answer at no cost."""
    key = ("status-list", url)
    if key not in remote.decoded:
        try:
            remote.decoded[key] = await _read(url, remote, compute, now)
        except (FetchError, Unverifiable) as exc:
            remote.decoded[key] = exc
    found = remote.decoded[key]
    if isinstance(found, Exception):
        raise found
    assert isinstance(found, _Readable)
    return found


async def _read(url: str, remote: Remote, compute: Allowance, now: datetime) -> _Readable:
    text = await remote.text(url)
    decoded = await compute.run("status list decoding", decode_list, text)
    caveat = await readable_list(decoded.listing, url, remote, compute, now)
    if decoded.bits is None:
        raise Unverifiable(decoded.unreadable or "its list could not be inflated")
    return _Readable(caveat, _subject(decoded.listing).get("statusPurpose"), decoded.bits)


async def check_bitstring(
    checks: Checks, remote: Remote, compute: Allowance, entry: dict[str, Any], now: datetime
) -> None:
    """The bit at `statusListIndex` of the list credential `statusListCredential` names."""
    purpose = entry.get("statusPurpose")
    url = entry.get("statusListCredential")
    try:
        index = int(str(entry.get("statusListIndex")))
    except ValueError:  # a number's text too long for int() is a ValueError too
        checks.failed(NAME, f"statusListIndex {entry.get('statusListIndex')!r} is not a number")
        return
    if not isinstance(url, str) or index < 0:
        checks.failed(NAME, "a status list entry needs statusListCredential and a statusListIndex")
        return
    if not isinstance(purpose, str):
        checks.not_checked(NAME, f"statusPurpose must be a string, got {shape(purpose)}")
        return
    if purpose not in _FAILING_PURPOSES:
        checks.not_checked(
            NAME, f"status purpose {purpose!r} is not revocation or suspension", blocking=False
        )
        return
    try:
        found = await _readable(url, remote, compute, now)
        if found.purpose is not None and found.purpose != purpose:
            raise Unverifiable(f"it is a {found.purpose!r} list, the entry a {purpose!r} one")
    except (FetchError, Unverifiable) as exc:
        checks.not_checked(NAME, f"status list {url} could not be read: {exc}")
        return
    bits, caveat = found.bits, found.caveat
    if index >= len(bits) * 8:
        checks.failed(NAME, f"statusListIndex {index} is past the end of {url}")
        return
    if bits[index // 8] >> (7 - index % 8) & 1:  # bit 0 is the first byte's leftmost bit
        checks.failed(
            NAME,
            f"{_FAILING_PURPOSES[purpose]}: bit {index} of {url} is set {caveat}",
            Status.REVOKED,
        )
    else:
        checks.passed(NAME, f"bit {index} of {url} is clear {caveat}")
