"""Open Badges 3.0 / CLR 2.0 verifiable credentials with an embedded Data Integrity proof
(`DataIntegrityProof`, cryptosuite `eddsa-rdfc-2022`), and what every OB 3.0 credential is
checked for whatever its proof: validFrom/validUntil (issuanceDate/expirationDate for VC 1.1
credentials), the 1EdTech JSON Schema (`schema`), credentialStatus, the recipient and the
achievement(s). What a CLR carries is
verified by `embedded`.

The key comes from resolving `verificationMethod` (did:key offline, an HTTP URL through the
Fetcher) and must be controlled by the credential's issuer. When it cannot be resolved, the
signature is still checked against the key its fragment spells, so a changed byte is caught
offline, but the result stays UNVERIFIABLE: a key written into a document proves nothing
about who wrote it.

JSON-LD expansion, canonicalisation and schema validation run in a worker process through the
verification's `Allowance`: past it, the check is NOT_CHECKED with the reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urldefrag

from credgraph.errors import FetchError
from credgraph.verify import schema
from credgraph.verify.contexts import first_unknown_context
from credgraph.verify.data_integrity import (
    CRYPTOSUITE,
    proof_signature,
    signature_matches,
    signing_input,
    undefined_terms,
)
from credgraph.verify.dates import check_dates
from credgraph.verify.draft import Draft
from credgraph.verify.errors import Unverifiable
from credgraph.verify.keys import resolve_multikey
from credgraph.verify.multibase import ed25519_multikey
from credgraph.verify.recipient import ob3_recipient
from credgraph.verify.remote import Remote
from credgraph.verify.status_list import check_credential_status
from credgraph.verify.workers import Allowance


def issuer_id_of(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else None


def _proofs(credential: dict[str, Any]) -> list[dict[str, Any]]:
    proof = credential.get("proof")
    return [p for p in (proof if isinstance(proof, list) else [proof]) if isinstance(p, dict)]


async def verify_data_integrity(
    draft: Draft, remote: Remote, compute: Allowance, credential: dict[str, Any], now: datetime
) -> None:
    checks = draft.checks
    proofs = _proofs(credential)
    usable = [p for p in proofs if p.get("type") == "DataIntegrityProof"
              and p.get("cryptosuite") == CRYPTOSUITE]  # fmt: skip
    if not usable:
        found = [f"{p.get('type')}/{p.get('cryptosuite')}" for p in proofs] or ["none"]
        checks.not_checked("proof", f"no {CRYPTOSUITE} DataIntegrityProof (found: {', '.join(found)})")
    else:
        await _check_proof(draft, remote, compute, credential, usable[0])
    await credential_facts(draft, remote, compute, credential, now)


async def _check_proof(
    draft: Draft,
    remote: Remote,
    compute: Allowance,
    credential: dict[str, Any],
    proof: dict[str, Any],
) -> None:
    checks = draft.checks
    unknown = first_unknown_context(credential)
    if unknown is not None:
        checks.not_checked("contexts", f"unknown context {unknown}")
        return
    checks.passed("contexts", "every JSON-LD context is one we ship")
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    try:
        undefined = await compute.run("JSON-LD expansion", undefined_terms, unsigned)
    except Unverifiable as exc:
        checks.not_checked("undefined-terms", exc.reason)
        return
    if undefined:
        checks.failed("undefined-terms", f"terms no context defines (they are not signed): {', '.join(undefined[:5])}")
        return
    if proof.get("proofPurpose") != "assertionMethod":
        checks.failed("proof-purpose", f"proofPurpose {proof.get('proofPurpose')!r}, expected assertionMethod")
        return
    method = proof.get("verificationMethod")
    if not isinstance(method, str):
        checks.failed("verification-method", "the proof names no verificationMethod")
        return
    issuer = issuer_id_of(credential)
    key = await _resolved_key(draft, remote, method, issuer)
    if key is None:
        key = _fragment_key(method)  # only to tell a tampered document from an untrusted one
        if key is None:
            return
    try:
        signature = proof_signature(proof)
        data = await compute.run("canonicalisation", signing_input, credential, proof)
        matches = signature_matches(data, signature, key)
    except Unverifiable as exc:
        checks.not_checked("signature", exc.reason)
        return
    if matches:
        checks.passed("signature", f"{CRYPTOSUITE} signature verified with {method}")
    else:
        checks.failed("signature", f"{CRYPTOSUITE} signature does not match: the credential or its proof changed after signing")


async def _resolved_key(draft: Draft, remote: Remote, method: str, issuer: str | None) -> bytes | None:
    checks = draft.checks
    try:
        key, controller = await resolve_multikey(method, remote)
    except (Unverifiable, FetchError) as exc:
        checks.not_checked("verification-method", f"could not resolve {method}: {exc}")
        return None
    if controller != issuer:
        checks.failed("verification-method", f"{method} is controlled by {controller}, not the issuer {issuer}")
        return None
    checks.passed("verification-method", f"{method} resolved; controlled by the issuer")
    return key


def _fragment_key(method: str) -> bytes | None:
    fragment = urldefrag(method)[1]
    try:
        return ed25519_multikey(fragment) if fragment.startswith("z6Mk") else None
    except Unverifiable:
        return None


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
    if draft.checks.ok():
        await check_credential_status(draft.checks, remote, credential)
    else:  # a document that did not verify makes us fetch nothing more
        draft.checks.not_checked("revocation", "not checked: the proof did not verify", blocking=False)
    subject = credential.get("credentialSubject")
    first = subject[0] if isinstance(subject, list) and subject else subject
    draft.recipient = ob3_recipient(first)
    if draft.recipient is None:
        draft.checks.not_checked("recipient", "credentialSubject names no recipient", blocking=False)
    else:
        draft.checks.passed("recipient", f"{draft.recipient.type or 'identity'} recipient")
    issuer = credential.get("issuer")
    draft.issuer_profile = issuer if isinstance(issuer, dict) else None
    draft.definition_document = credential
    cid = credential.get("id")
    draft.definition_url = cid if isinstance(cid, str) and cid.startswith("http") else None
