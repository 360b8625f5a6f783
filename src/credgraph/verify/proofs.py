"""The embedded proofs of a credential (`proof`: one, a set, or a chain), each verified in its
suite (`suites`), and the checks that record them:

    proof                 which proofs are in a suite we verify (none: UNVERIFIABLE, naming them)
    proof-purpose         assertionMethod
    verification-method   the key resolves (`methods`) and is the issuer's (`binding`)
    signature             the proof's signature over what it signs

Every proof in a suite we verify is checked (up to MAX_PROOFS): a broken signature anywhere is
INVALID. At least one must be the issuer's with a signature that holds; the others (a
co-signer's, or proofs in suites we do not verify) are then reported without deciding. When a
key cannot be resolved, the signature is still checked against the key the method spells (a
did:key, a Multikey fragment), so a changed byte is INVALID offline, while the result stays
UNVERIFIABLE: a key written into a document proves nothing about who wrote it.

Canonicalisation runs in a worker process through the verification's `Allowance`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from credgraph.errors import FetchError
from credgraph.verify import ecdsa_sd
from credgraph.verify.binding import bind
from credgraph.verify.data_integrity import signing_input
from credgraph.verify.errors import Invalid, Unverifiable
from credgraph.verify.methods import key_in, resolve
from credgraph.verify.multibase import multibase
from credgraph.verify.remote import Remote
from credgraph.verify.result import Check, Checks, Outcome, Status
from credgraph.verify.signatures import PublicKey, key_kind, signature_matches, to_der
from credgraph.verify.suites import Suite, described, not_verified, suite_of
from credgraph.verify.workers import Allowance

MAX_PROOFS = 4  # each costs a canonicalisation; real credentials carry one or two


@dataclass(slots=True)
class ProofChecks:
    """What came of one proof: its checks, and whether it shows the issuer signed."""

    label: str
    checks: list[Check] = field(default_factory=list)
    issuers: bool = False  # its key is the issuer's and its signature holds

    def add(self, name: str, outcome: Outcome, reason: str, effect: Status | None) -> None:
        self.checks.append(Check(name, outcome, f"{self.label}{reason}", effect))


def issuer_id_of(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else None


def proofs_of(credential: dict[str, Any]) -> list[dict[str, Any]]:
    proof = credential.get("proof")
    return [p for p in (proof if isinstance(proof, list) else [proof]) if isinstance(p, dict)]


async def check_proofs(
    checks: Checks,
    remote: Remote,
    compute: Allowance,
    credential: dict[str, Any],
    issuer: str | None,
) -> None:
    """Verify every proof of `credential` in a suite we verify and record the checks."""
    proofs = proofs_of(credential)
    ours = [(i, p, s) for i, p in enumerate(proofs) if (s := suite_of(p)) is not None]
    if not ours:
        found = "; ".join(not_verified(p) for p in proofs) or "the credential has no proof"
        checks.not_checked("proof", f"no proof in a suite we verify: {found}")
        return
    several = len(proofs) > 1
    results = []
    for index, proof, suite in ours[:MAX_PROOFS]:
        label = f"proof {index + 1} ({suite.name}): " if several else ""
        result = ProofChecks(label)
        await _check_one(result, remote, compute, credential, proofs, proof, suite, issuer)
        results.append(result)
    decided = any(r.issuers for r in results)
    for result in results:
        for check in result.checks:
            # Once one proof shows the issuer signed, what the others could not show does not
            # decide (a co-signer's key, a key we cannot resolve); a broken signature does.
            keep = check.effect is Status.INVALID and check.name == "signature"
            if check.effect is None or not decided or result.issuers or keep:
                checks.items.append(check)
            else:
                reason = f"{check.reason} (not deciding: another proof is the issuer's)"
                checks.items.append(Check(check.name, check.outcome, reason, None))
    skipped = [(i, p) for i, p in enumerate(proofs) if suite_of(p) is None]
    skipped += [(i, p) for i, p, _ in ours[MAX_PROOFS:]]
    for index, proof in skipped:
        why = (
            not_verified(proof)
            if suite_of(proof) is None
            else f"only {MAX_PROOFS} proofs are checked"
        )
        checks.not_checked(
            "proof", f"proof {index + 1} ({described(proof)}): {why}", blocking=not decided
        )


async def _check_one(
    result: ProofChecks,
    remote: Remote,
    compute: Allowance,
    credential: dict[str, Any],
    proofs: list[dict[str, Any]],
    proof: dict[str, Any],
    suite: Suite,
    issuer: str | None,
) -> None:
    if proof.get("proofPurpose") != "assertionMethod":
        result.add("proof-purpose", Outcome.FAILED,
                   f"proofPurpose {proof.get('proofPurpose')!r}, expected assertionMethod", Status.INVALID)  # fmt: skip
        return
    method = proof.get("verificationMethod")
    key, bound = await _key(result, remote, method, issuer)
    if key is None:
        return
    holds = await _signature(result, compute, credential, proofs, proof, suite, key, str(method))
    result.issuers = bound and holds


async def _key(
    result: ProofChecks, remote: Remote, method: Any, issuer: str | None
) -> tuple[PublicKey | None, bool]:
    """(the key to check the signature with, whether it is the issuer's)."""
    name = "verification-method"
    try:
        resolved = await resolve(method, remote)
    except Invalid as exc:
        result.add(name, Outcome.FAILED, exc.reason, Status.INVALID)
        return None, False
    except (Unverifiable, FetchError) as exc:
        result.add(
            name, Outcome.NOT_CHECKED, f"could not resolve {method}: {exc}", Status.UNVERIFIABLE
        )
        return key_in(method) if isinstance(method, str) else None, False
    try:
        reason = await bind(resolved, issuer, remote)
    except Invalid as exc:
        result.add(name, Outcome.FAILED, exc.reason, Status.INVALID)
        return resolved.key, False
    except (Unverifiable, FetchError) as exc:
        result.add(
            name,
            Outcome.NOT_CHECKED,
            f"could not tie {method} to the issuer: {exc}",
            Status.UNVERIFIABLE,
        )
        return resolved.key, False
    result.add(name, Outcome.PASSED, reason, None)
    return resolved.key, True


async def _signature(
    result: ProofChecks,
    compute: Allowance,
    credential: dict[str, Any],
    proofs: list[dict[str, Any]],
    proof: dict[str, Any],
    suite: Suite,
    key: PublicKey,
    method: str,
) -> bool:
    name = "signature"
    if key_kind(key) not in suite.keys:
        result.add(name, Outcome.FAILED, f"{method} is a {key_kind(key)} key; {suite.name} signs "
                   f"with {' or '.join(suite.keys)}", Status.INVALID)  # fmt: skip
        return False
    try:
        previous = _previous(proof, proofs)
        if suite.selective:
            holds = await compute.run(
                "canonicalisation", ecdsa_sd.verified, credential, proof, to_der(key)
            )
        else:
            value = proof.get("proofValue")
            if not isinstance(value, str):
                raise Invalid("the proof has no proofValue string")
            signature = multibase(value)
            data = await compute.run("canonicalisation", signing_input, credential, proof,
                                     suite.hash_for(key), previous)  # fmt: skip
            holds = signature_matches(key, signature, data)
    except Invalid as exc:
        result.add(name, Outcome.FAILED, exc.reason, Status.INVALID)
        return False
    except Unverifiable as exc:
        result.add(name, Outcome.NOT_CHECKED, exc.reason, Status.UNVERIFIABLE)
        return False
    if holds:
        result.add(name, Outcome.PASSED, f"{suite.name} signature verified with {method}", None)
    else:
        result.add(name, Outcome.FAILED, f"{suite.name} signature does not match: the "
                   "credential or its proof changed after signing", Status.INVALID)  # fmt: skip
    return holds


def _previous(proof: dict[str, Any], proofs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The earlier proofs a chained proof signed over (its `previousProof` ids)."""
    wanted = proof.get("previousProof")
    ids = [wanted] if isinstance(wanted, str) else wanted if isinstance(wanted, list) else []
    found = []
    for wanted_id in ids:
        match = next((p for p in proofs if p.get("id") == wanted_id), None)
        if match is None:
            raise Invalid(f"previousProof {wanted_id!r} is not one of the credential's proofs")
        found.append(match)
    return found
