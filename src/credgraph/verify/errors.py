"""Why a verification could not even start, and the internal signals of the checks.

    CredgraphError
    └── VerificationInputError   the input is not something we can verify (names what is wrong)

    Exception (internal: a check catches them and records an outcome with the reason)
    ├── Unverifiable             a check could not be made: NOT_CHECKED, the result UNVERIFIABLE
    └── Invalid                  a check found the document at fault: FAILED, the result INVALID

`Unverifiable` is what we cannot know (an unknown context, an issuer document that does not
answer, a DID method we do not resolve); `Invalid` is what we know to be wrong (a verification
method that is not a URI, a key its issuer's own document does not list). Neither leaves this
package.
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


class Invalid(Exception):
    """A check found the document at fault (a malformed method, a key its issuer disowns)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
