"""Why a verification could not even start, and the internal signals of the checks.

    CredgraphError
    └── VerificationInputError   the input is not something we can verify (names what is wrong)

`Unverifiable` and `KeyNotFound` never leave this package: a check catches them and records
an outcome with the reason.
"""

from __future__ import annotations

from credgraph.errors import CredgraphError


class VerificationInputError(CredgraphError):
    """The input is malformed or of a kind we do not verify; the message says which."""


class Unverifiable(Exception):
    """A check could not be made (an unknown context, a key we cannot resolve...)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
