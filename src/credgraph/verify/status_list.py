"""Revocation: OB 2.0 `revocationList` (issuer profile) and the OB 3.0 `credentialStatus` of
type `1EdTechRevocationList` (VCRL 1.0), both lists of revoked ids with an optional reason; and
W3C Bitstring Status List entries (`bitstring`). Other status types are reported as not
checked rather than guessed at.

A credential's status is checked whatever its other checks found: one that is revoked and
expired is REVOKED, and a proof that failed does not hide that the issuer revoked it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credgraph.errors import FetchError
from credgraph.verify.bitstring import BITSTRING_TYPES, check_bitstring
from credgraph.verify.errors import Unverifiable
from credgraph.verify.malformed import malformed_as_check, shape
from credgraph.verify.remote import Remote
from credgraph.verify.result import Checks, Status
from credgraph.verify.workers import Allowance

NAME = "revocation"


def revoked_entry(entries: Any, ids: set[str]) -> dict[str, Any] | None:
    """The entry of `entries` naming one of `ids` (as a string, `id` or legacy `uid`)."""
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, str) and entry in ids:
            return {"id": entry}
        if not isinstance(entry, dict):
            continue
        # An id that is not a string names no credential (and a list would not hash).
        named = any(isinstance(entry.get(k), str) and entry[k] in ids for k in ("id", "uid"))
        if named and entry.get("revoked") is not False:
            return entry
    return None


async def check_list(checks: Checks, remote: Remote, url: str, key: str, ids: set[str]) -> None:
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
    with malformed_as_check(checks, NAME, f"revocation list {url}"):
        entry = revoked_entry(entries, ids)
        if entry is None:
            checks.passed(NAME, f"not in the revocation list {url}")
            return
        reason = entry.get("revocationReason")
        reason = reason if isinstance(reason, str) else None
        checks.failed(NAME, f"revoked in {url}" + (f": {reason}" if reason else ""), Status.REVOKED)


async def check_credential_status(
    checks: Checks, remote: Remote, compute: Allowance, credential: dict[str, Any], now: datetime
) -> None:
    status = credential.get("credentialStatus")
    if status is None:
        checks.not_checked(NAME, "no credentialStatus: revocation not checked", blocking=False)
        return
    entries = status if isinstance(status, list) else [status]
    for number, entry in enumerate(entries, 1):
        where = f"credentialStatus entry {number}" if len(entries) > 1 else "credentialStatus"
        with malformed_as_check(checks, NAME, where):
            await _check_entry(checks, remote, compute, credential, entry, where, now)


async def _check_entry(
    checks: Checks, remote: Remote, compute: Allowance, credential: dict[str, Any],
    entry: Any, where: str, now: datetime,
) -> None:  # fmt: skip
    if not isinstance(entry, dict):
        checks.failed(NAME, f"{where} is not an object")
        return
    kind, url = entry.get("type"), entry.get("id")
    if not isinstance(kind, str):
        checks.not_checked(NAME, f"{where}: its type must be a string, got {shape(kind)}")
    elif kind in BITSTRING_TYPES:
        await check_bitstring(checks, remote, compute, entry, now)
    elif kind == "1EdTechRevocationList" and isinstance(url, str):
        cid = credential.get("id")
        ids = {cid} if isinstance(cid, str) else set()
        await check_list(checks, remote, url, "revokedCredentials", ids)
    else:
        checks.not_checked(
            NAME, f"credentialStatus type {kind!r} is not supported: revocation not checked",
            blocking=False,
        )  # fmt: skip
