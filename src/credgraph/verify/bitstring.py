"""W3C Bitstring Status List entries (`BitstringStatusListEntry`, and its predecessor
`StatusList2021Entry`): a bit per credential in a gzipped, base64url list, published as a
credential of its own (`status_credential` decides whether that list may be read).

    bit set     revocation: REVOKED ("revoked"), suspension: REVOKED ("suspended")
    bit clear   PASSED
    unreadable, or a list that may not be read    NOT_CHECKED (UNVERIFIABLE)
"""

from __future__ import annotations

import base64
import zlib
from datetime import datetime
from typing import Any

from credgraph.errors import FetchError
from credgraph.verify.errors import Unverifiable
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
        listing = await remote.json(url)
        caveat = await readable_list(listing, url, remote, compute, now)
        found = listing.get("credentialSubject") if isinstance(listing, dict) else None
        found = found[0] if isinstance(found, list) and found else found
        subject: dict[str, Any] = found if isinstance(found, dict) else {}
        encoded = subject.get("encodedList")
        if not isinstance(encoded, str):
            raise ValueError("its credentialSubject has no encodedList")
        listed = subject.get("statusPurpose")
        if listed is not None and listed != purpose:
            raise ValueError(f"it is a {listed!r} list, the entry a {purpose!r} one")
        bits = _bits(encoded)
    except (FetchError, Unverifiable, ValueError, zlib.error) as exc:
        checks.not_checked(NAME, f"status list {url} could not be read: {exc}")
        return
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
