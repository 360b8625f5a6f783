"""What a verification path gathers before the result is assembled."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from credgraph.verify.recipient import Recipient
from credgraph.verify.result import Checks


@dataclass(slots=True)
class Draft:
    kind: str
    checks: Checks = field(default_factory=Checks)
    credential_id: str | None = None
    recipient: Recipient | None = None
    issued_on: datetime | None = None
    expires: datetime | None = None
    # What to normalise into credential definitions: an OB 2.0 BadgeClass (issuer embedded),
    # or an OB 3.0 / CLR credential; with the URL it was read from.
    definition_document: dict[str, Any] | None = None
    definition_url: str | None = None
    # Whether that document was read from its own id URL (an OB 2.0 BadgeClass given by URL):
    # then its host vouches for its ids; one embedded in the award has the issuer's only.
    definition_fetched: bool = False
    issuer_profile: dict[str, Any] | None = None
