"""A lease: one holder's time-limited claim on a named piece of work (a source's crawl)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Lease:
    """`holder` may do the work called `name` until `expires_at` unless it renews first.

    Times are the store's clock (UTC): a holder that stops renewing (a dead process) loses
    the lease when it expires, and any other holder may then take it. A holder known to have
    ended (a process of the same machine, see credgraph.schedule.holder) loses it at once:
    another holder may take it over by naming it (`GraphStore.take_over_lease`)."""

    name: str
    holder: str
    acquired_at: datetime
    expires_at: datetime
