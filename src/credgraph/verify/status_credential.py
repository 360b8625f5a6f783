"""Whether a status list credential (Bitstring Status List, StatusList2021) may be read: it is
what it says it is, valid now, and, when it carries a proof, its proof holds (Bitstring Status
List 1.0, "Validate Algorithm": the list is a verifiable credential and is verified as one).

    readable_list(listing, url, remote, compute, now)   the caveat to say with what it shows;
                                                        Unverifiable when it may not be read

A list with no proof is read, and the reason says so: the signed credential chose its URL, as
it chooses a revocation list's. Its issuer need not be the credential's (issuers sign lists
with a key of their status service).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credgraph.verify.dates import parse_date
from credgraph.verify.errors import Unverifiable
from credgraph.verify.malformed import shape
from credgraph.verify.proofs import check_proofs, issuer_id_of, proofs_of
from credgraph.verify.remote import Remote
from credgraph.verify.result import Checks, Status
from credgraph.verify.workers import Allowance

LIST_TYPES = frozenset({"BitstringStatusListCredential", "StatusList2021Credential"})


async def readable_list(
    listing: Any, url: str, remote: Remote, compute: Allowance, now: datetime
) -> str:
    if not isinstance(listing, dict):
        raise Unverifiable(f"{url} is not a JSON object")
    found = listing.get("type")
    kinds = found if isinstance(found, list) else [found]
    if not LIST_TYPES & {k for k in kinds if isinstance(k, str)}:
        raise Unverifiable(f"it is not a status list credential (its type is {shape(found)})")
    start = parse_date(listing.get("validFrom") or listing.get("issuanceDate"))
    end = parse_date(listing.get("validUntil") or listing.get("expirationDate"))
    if start is not None and start > now:
        raise Unverifiable(f"the list is not valid before {start.isoformat()}")
    if end is not None and end <= now:
        raise Unverifiable(f"the list expired on {end.isoformat()}, so it says nothing of now")
    if not proofs_of(listing):
        return "(the list credential carries no proof)"
    checks = Checks()
    issuer = issuer_id_of(listing)
    await check_proofs(checks, remote, compute, listing, issuer)
    status = checks.status()
    if status is not Status.VALID:
        first = next((c for c in checks.items if c.effect is status), None)
        why = f"{first.name}: {first.reason}" if first else "no proof was shown to hold"
        raise Unverifiable(f"the list's own proof does not hold ({why})")
    return f"(the list credential's proof holds, signed for {issuer})"
