"""The credentials a CLR carries (`credentialSubject.verifiableCredential`, objects per the
CLR 2.0 schema), each verified on its own like any OB 3.0 credential with an embedded proof.

The CLR's proof covers the bytes of what it carries, not the signatures of their issuers, so
each carried credential gets one `embedded-credential` check named by its id:

    VALID          PASSED
    INVALID        FAILED, and the CLR is INVALID: it vouches for a forged credential
    anything else  NOT_CHECKED (non-blocking), with the credential's own status and reason

They are checked only when every check of the CLR itself passed (a document that did not
verify makes us fetch nothing more), one level deep (what they carry is not opened), and at most
MAX_EMBEDDED of them, since each may cost a canonicalisation and a key fetch; their
canonicalisations share the CLR's computing allowance.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credgraph.verify.draft import Draft
from credgraph.verify.ob3 import verify_data_integrity
from credgraph.verify.remote import Remote
from credgraph.verify.result import Check, Status
from credgraph.verify.workers import Allowance

NAME = "embedded-credential"
MAX_EMBEDDED = 20


def carried(credential: dict[str, Any]) -> list[Any]:
    """What `credentialSubject.verifiableCredential` holds (the first subject's)."""
    subject = credential.get("credentialSubject")
    first = subject[0] if isinstance(subject, list) and subject else subject
    found = first.get("verifiableCredential") if isinstance(first, dict) else None
    if isinstance(found, (dict, str)):
        return [found]
    return found if isinstance(found, list) else []


async def check_embedded(
    draft: Draft, remote: Remote, compute: Allowance, credential: dict[str, Any], now: datetime
) -> None:
    """Record one check per credential `credential` carries (none when it carries none)."""
    inside = carried(credential)
    if not inside:
        return
    checks = draft.checks
    if not checks.ok():
        checks.not_checked(NAME, f"{len(inside)} credential(s) carried inside: not checked, "
                                 "the outer credential did not pass its own checks", blocking=False)  # fmt: skip
        return
    for index, item in enumerate(inside):
        label = _label(item, index)
        if index >= MAX_EMBEDDED:
            checks.not_checked(NAME, f"{len(inside) - MAX_EMBEDDED} more credential(s) carried "
                                     f"inside: only the first {MAX_EMBEDDED} are checked",
                               blocking=False)  # fmt: skip
            return
        inner = await _verified(remote, compute, item, now)
        if inner is None:
            checks.not_checked(NAME, f"{label}: carries no proof of its own", blocking=False)
            continue
        status = inner.checks.status()
        reason = _first_reason(inner, status)
        if status is Status.VALID:
            checks.passed(NAME, f"{label}: VALID ({reason})")
        elif status is Status.INVALID:
            checks.failed(NAME, f"{label}: INVALID ({reason})")
        else:
            checks.not_checked(NAME, f"{label}: {status.value} ({reason})", blocking=False)


async def _verified(remote: Remote, compute: Allowance, item: Any, now: datetime) -> Draft | None:
    """The checks of one carried credential, or None when it has no proof to check."""
    if isinstance(item, dict) and item.get("proof"):
        draft = Draft("ob3-data-integrity")
        await verify_data_integrity(draft, remote, compute, item, now)
        return draft
    return None


def _label(item: Any, index: int) -> str:
    cid = item.get("id") if isinstance(item, dict) else None
    return f"credential {index + 1} ({cid})" if isinstance(cid, str) else f"credential {index + 1}"


def _first_reason(draft: Draft, status: Status) -> str:
    deciding: Check | None = next((c for c in draft.checks.items if c.effect is status), None)
    if deciding is not None:
        return f"{deciding.name}: {deciding.reason}"
    signature = next((c for c in draft.checks.items if c.name == "signature"), None)
    return f"signature: {signature.reason}" if signature else "no check failed"
