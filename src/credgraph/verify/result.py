"""What a verification answers: a status, every check made, and what the credential says.

The status follows from the checks, worst first: a failed proof or a broken rule makes it
INVALID; a check that could not be made (unknown context, unreachable key) makes it
UNVERIFIABLE, never VALID; then REVOKED, then EXPIRED; VALID only when nothing else applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from credgraph.model.records import Credential, Issuer
from credgraph.model.transparency import Transparency
from credgraph.model.views import CredentialView
from credgraph.verify.recipient import Recipient


class Status(StrEnum):
    VALID = "VALID"
    INVALID = "INVALID"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"
    UNVERIFIABLE = "UNVERIFIABLE"


class Outcome(StrEnum):
    PASSED = "PASSED"
    FAILED = "FAILED"
    NOT_CHECKED = "NOT_CHECKED"


_WORST_FIRST = (Status.INVALID, Status.UNVERIFIABLE, Status.REVOKED, Status.EXPIRED)


@dataclass(frozen=True, slots=True)
class Check:
    """One check: its name, what came of it and why. `effect` is the status it forces
    (None when it passed, or when not checking it does not matter, as for an absent
    revocation list)."""

    name: str
    outcome: Outcome
    reason: str
    effect: Status | None = None


@dataclass(slots=True)
class Checks:
    """The checks of one verification, in the order they were made."""

    items: list[Check] = field(default_factory=list)

    def passed(self, name: str, reason: str) -> None:
        self.items.append(Check(name, Outcome.PASSED, reason))

    def failed(self, name: str, reason: str, effect: Status = Status.INVALID) -> None:
        self.items.append(Check(name, Outcome.FAILED, reason, effect))

    def not_checked(self, name: str, reason: str, *, blocking: bool = True) -> None:
        """A check we could not make; `blocking` ones make the result UNVERIFIABLE."""
        effect = Status.UNVERIFIABLE if blocking else None
        self.items.append(Check(name, Outcome.NOT_CHECKED, reason, effect))

    def status(self) -> Status:
        effects = {c.effect for c in self.items}
        for status in _WORST_FIRST:
            if status in effects:
                return status
        if not any(c.outcome is Outcome.PASSED for c in self.items):
            return Status.UNVERIFIABLE  # nothing was shown to hold
        return Status.VALID

    def ok(self) -> bool:
        """Whether nothing failed or stayed unchecked so far (later checks may depend on it)."""
        return all(c.effect is None for c in self.items)


@dataclass(frozen=True, slots=True)
class Achievement:
    """The credential definition an award is for, normalised like a crawled one, with the
    matching node of our graph (`stored`) and whether this verification added it."""

    definition: Credential
    stored: CredentialView | None
    ingested: bool
    transparency: Transparency


@dataclass(frozen=True, slots=True)
class VerificationResult:
    status: Status
    checks: tuple[Check, ...]
    kind: str  # ob2-hosted, ob2-signed, ob3-data-integrity, vc-jwt, unknown
    credential_id: str | None = None  # the assertion's or verifiable credential's id
    recipient: Recipient | None = None
    issued_on: datetime | None = None
    expires: datetime | None = None
    issuer: Issuer | None = None
    achievements: tuple[Achievement, ...] = ()

    def matches_recipient(self, identity: str) -> bool | None:
        """Whether `identity` (an email...) is the recipient; None when there is none."""
        return self.recipient.matches(identity) if self.recipient else None

    def reason(self) -> str:
        """The first reason that decided the status (for logs and summaries)."""
        for check in self.checks:
            if check.effect is self.status:
                return f"{check.name}: {check.reason}"
        return "all checks passed" if self.status is Status.VALID else "no check passed"
