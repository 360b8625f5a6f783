"""Open Badges 3.0 / CLR 2.0 verifiable credentials with embedded proofs (`proofs`: the
suites of `suites`), and what every OB 3.0 credential is checked for whatever its proof:
validFrom/validUntil (issuanceDate/expirationDate for VC 1.1 credentials), the 1EdTech JSON
Schema (`schema`), credentialStatus, the recipient and the achievement(s). What a CLR carries is
verified by `embedded`.

    contexts          every @context is one we ship
    undefined-terms   every property and type is defined (else it would not be signed)
    proof...          `proofs`
    issued, expiry, schema, revocation, recipient

Status and revocation are checked whatever else failed (a revoked credential that also
expired is REVOKED, and a forged one still INVALID, by the order of `result.Status`).
JSON-LD expansion, canonicalisation and schema validation run in a worker process through the
verification's `Allowance`: past it, the check is NOT_CHECKED with the reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credgraph.verify import schema
from credgraph.verify.contexts import first_unknown_context
from credgraph.verify.data_integrity import undefined_terms
from credgraph.verify.dates import check_dates
from credgraph.verify.draft import Draft
from credgraph.verify.errors import Unverifiable
from credgraph.verify.proofs import check_proofs, issuer_id_of, proofs_of
from credgraph.verify.recipient import ob3_recipient
from credgraph.verify.remote import Remote
from credgraph.verify.status_list import check_credential_status
from credgraph.verify.suites import suite_of
from credgraph.verify.workers import Allowance


async def verify_data_integrity(
    draft: Draft, remote: Remote, compute: Allowance, credential: dict[str, Any], now: datetime
) -> None:
    verifiable = any(suite_of(p) for p in proofs_of(credential))
    # Without a proof we verify, `check_proofs` says so and names the suites found; with one,
    # what it signs must first be known to be what the document says.
    if not verifiable or await _terms_defined(draft, compute, credential):
        await check_proofs(draft.checks, remote, compute, credential, issuer_id_of(credential))
    await credential_facts(draft, remote, compute, credential, now)


async def _terms_defined(draft: Draft, compute: Allowance, credential: dict[str, Any]) -> bool:
    """Whether every context is shipped and every term defined (what the proofs sign)."""
    checks = draft.checks
    unknown = first_unknown_context(credential)
    if unknown is not None:
        checks.not_checked("contexts", f"unknown context {unknown}")
        return False
    checks.passed("contexts", "every JSON-LD context is one we ship")
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    try:
        undefined = await compute.run("JSON-LD expansion", undefined_terms, unsigned)
    except Unverifiable as exc:
        checks.not_checked("undefined-terms", exc.reason)
        return False
    if undefined:
        checks.failed(
            "undefined-terms",
            f"terms no context defines (they are not signed): {', '.join(undefined[:5])}",
        )
        return False
    return True


async def credential_facts(
    draft: Draft, remote: Remote, compute: Allowance, credential: dict[str, Any], now: datetime
) -> None:
    """Dates, status, recipient and definition of any OB 3.0 / CLR credential."""
    draft.credential_id = str(credential["id"]) if credential.get("id") else draft.credential_id
    v1 = "validFrom" not in credential and "issuanceDate" in credential
    draft.issued_on, draft.expires = check_dates(
        draft.checks, now,
        issued=("issuanceDate", credential.get("issuanceDate")) if v1 else ("validFrom", credential.get("validFrom")),
        expires=("expirationDate", credential.get("expirationDate")) if v1 else ("validUntil", credential.get("validUntil")),
    )  # fmt: skip
    try:
        found = await compute.run("schema validation", schema.verdict, credential)
        schema.record(draft.checks, found)
    except Unverifiable as exc:
        draft.checks.not_checked(schema.NAME, exc.reason)
    await check_credential_status(draft.checks, remote, compute, credential, now)
    subject = credential.get("credentialSubject")
    first = subject[0] if isinstance(subject, list) and subject else subject
    draft.recipient = ob3_recipient(first)
    if draft.recipient is None:
        draft.checks.not_checked(
            "recipient", "credentialSubject names no recipient", blocking=False
        )
    else:
        draft.checks.passed("recipient", f"{draft.recipient.type or 'identity'} recipient")
    issuer = credential.get("issuer")
    draft.issuer_profile = issuer if isinstance(issuer, dict) else None
    draft.definition_document = credential
    cid = credential.get("id")
    draft.definition_url = cid if isinstance(cid, str) and cid.startswith("http") else None
