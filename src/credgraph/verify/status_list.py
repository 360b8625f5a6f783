"""Revocation lists: OB 2.0 `revocationList` (issuer profile) and the OB 3.0
`credentialStatus` of type `1EdTechRevocationList` (VCRL 1.0), both lists of revoked ids
with an optional reason; and W3C Bitstring Status List entries (`BitstringStatusListEntry`,
and its predecessor `StatusList2021Entry`), a bit per credential in a gzipped, base64url
list. Other status types are reported as not checked rather than guessed at."""

from __future__ import annotations

import base64
import zlib
from typing import Any

from credgraph.errors import FetchError
from credgraph.verify.errors import Unverifiable
from credgraph.verify.remote import Remote
from credgraph.verify.result import Checks, Status

NAME = "revocation"


def revoked_entry(entries: Any, ids: set[str]) -> dict[str, Any] | None:
    """The entry of `entries` naming one of `ids` (as a string, `id` or legacy `uid`)."""
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, str) and entry in ids:
            return {"id": entry}
        named = isinstance(entry, dict) and (entry.get("id") in ids or entry.get("uid") in ids)
        if named and isinstance(entry, dict) and entry.get("revoked") is not False:
            return entry
    return None


async def check_list(
    checks: Checks, remote: Remote, url: str, key: str, ids: set[str]
) -> None:
    """Fetch the list at `url` and look for `ids` under `key`."""
    try:
        listing = await remote.json(url)
    except (FetchError, Unverifiable) as exc:
        checks.not_checked(NAME, f"revocation list {url} could not be read: {exc}")
        return
    entries = listing.get(key) if isinstance(listing, dict) else None
    if not isinstance(entries, list):
        checks.not_checked(NAME, f"revocation list {url} has no {key} array")
        return
    entry = revoked_entry(entries, ids)
    if entry is None:
        checks.passed(NAME, f"not in the revocation list {url}")
        return
    reason = entry.get("revocationReason")
    checks.failed(NAME, f"revoked in {url}" + (f": {reason}" if reason else ""), Status.REVOKED)


async def check_credential_status(
    checks: Checks, remote: Remote, credential: dict[str, Any]
) -> None:
    status = credential.get("credentialStatus")
    if status is None:
        checks.not_checked(NAME, "no credentialStatus: revocation not checked", blocking=False)
        return
    entries = status if isinstance(status, list) else [status]
    for entry in entries:
        if not isinstance(entry, dict):
            checks.failed(NAME, "credentialStatus is not an object")
            continue
        kind, url = entry.get("type"), entry.get("id")
        if kind in BITSTRING_TYPES:
            await check_bitstring(checks, remote, entry)
        elif kind == "1EdTechRevocationList" and isinstance(url, str):
            ids = {str(credential.get("id"))} if credential.get("id") else set()
            await check_list(checks, remote, url, "revokedCredentials", ids)
        else:
            checks.not_checked(
                NAME, f"credentialStatus type {kind!r} is not supported: revocation not checked",
                blocking=False,
            )  # fmt: skip


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


async def check_bitstring(checks: Checks, remote: Remote, entry: dict[str, Any]) -> None:
    """The bit at `statusListIndex` of the list credential `statusListCredential` names. The
    list credential's own proof is not checked (said in the reason): the signed credential
    chose that URL, as it chooses a revocation list's."""
    purpose = entry.get("statusPurpose")
    url = entry.get("statusListCredential")
    try:
        index = int(str(entry.get("statusListIndex")))
    except ValueError:
        checks.failed(NAME, f"statusListIndex {entry.get('statusListIndex')!r} is not a number")
        return
    if not isinstance(url, str) or index < 0:
        checks.failed(NAME, "a status list entry needs statusListCredential and a statusListIndex")
        return
    if purpose not in _FAILING_PURPOSES:
        checks.not_checked(NAME, f"status purpose {purpose!r} is not revocation or suspension",
                           blocking=False)
        return
    try:
        listing = await remote.json(url)
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
    caveat = "(the list credential's own proof is not checked)"
    if bits[index // 8] >> (7 - index % 8) & 1:  # bit 0 is the first byte's leftmost bit
        checks.failed(NAME, f"{_FAILING_PURPOSES[purpose]}: bit {index} of {url} is set {caveat}",
                      Status.REVOKED)
    else:
        checks.passed(NAME, f"bit {index} of {url} is clear {caveat}")
