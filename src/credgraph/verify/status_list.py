"""Revocation: OB 2.0 `revocationList` (issuer profile) and the OB 3.0 `credentialStatus` of
type `1EdTechRevocationList` (VCRL 1.0), both lists of revoked ids with an optional reason; and
W3C Bitstring Status List entries (`bitstring`). Other status types are reported as not
checked rather than guessed at.

A credential's status is checked whatever its other checks found: one that is revoked and
expired is REVOKED, and a proof that failed does not hide that the issuer revoked it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from credgraph.errors import FetchError
from credgraph.verify.bitstring import BITSTRING_TYPES, check_bitstring
from credgraph.verify.errors import Unverifiable
from credgraph.verify.limits import MAX_DEPTH, MAX_STATUS_ENTRIES, nests_deeper_than
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


def find_revoked(text: str, key: str, ids: frozenset[str]) -> dict[str, Any] | str | None:
    """Runs in a check worker: the entry under `key` of the list in `text` naming one of
    `ids`, None when none does, or why the list cannot be read (a string)."""
    try:
        listing = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return f"it did not answer JSON ({exc})"
    entries = listing.get(key) if isinstance(listing, dict) else None
    if not isinstance(entries, list):
        return f"it has no {key} array"
    found = revoked_entry(entries, set(ids))
    # Sent back to the verification: an entry nested hundreds deep crashed the worker on
    # the way (900 levels, below Python's recursion limit).
    if found is not None and nests_deeper_than(found, MAX_DEPTH):
        return f"its entry nests deeper than {MAX_DEPTH} levels (MAX_DEPTH)"
    return found


async def check_list(
    checks: Checks, remote: Remote, compute: Allowance, url: str, key: str, ids: set[str]
) -> None:
    """Fetch the list at `url` and look for `ids` under `key` (a list is up to 1 MB of JSON:
    searched in a check worker, once per verification for the same ids)."""
    memo = ("revocation-list", f"{key} {sorted(ids)} {url}")
    try:
        if memo not in remote.decoded:
            text = await remote.text(url)
            remote.decoded[memo] = await compute.run(
                "revocation list search", find_revoked, text, key, frozenset(ids)
            )
        found = remote.decoded[memo]
    except (FetchError, Unverifiable) as exc:
        checks.not_checked(NAME, f"revocation list {url} could not be read: {exc}")
        return
    if isinstance(found, str):
        checks.not_checked(NAME, f"revocation list {url} could not be read: {found}")
        return
    with malformed_as_check(checks, NAME, f"revocation list {url}"):
        if found is None:
            checks.passed(NAME, f"not in the revocation list {url}")
            return
        reason = found.get("revocationReason")
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
    for number, entry in enumerate(entries[:MAX_STATUS_ENTRIES], 1):
        where = f"credentialStatus entry {number}" if len(entries) > 1 else "credentialStatus"
        with malformed_as_check(checks, NAME, where):
            await _check_entry(checks, remote, compute, credential, entry, where, now)
    if len(entries) > MAX_STATUS_ENTRIES:
        # What an unread entry says may be "revoked": the status is not known.
        checks.not_checked(
            NAME, f"credentialStatus has {len(entries)} entries: only the first "
            f"{MAX_STATUS_ENTRIES} are checked (MAX_STATUS_ENTRIES)",
        )  # fmt: skip


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
        await check_list(checks, remote, compute, url, "revokedCredentials", ids)
    else:
        checks.not_checked(
            NAME, f"credentialStatus type {kind!r} is not supported: revocation not checked",
            blocking=False,
        )  # fmt: skip
