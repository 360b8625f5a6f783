"""The lease role: named, expiring leases that keep one scheduler process per source at a time.

`credgraph.schedule` is its only user.
"""

from __future__ import annotations

import abc
from typing import Protocol

from credgraph.model.lease import Lease


class LeaseKeeper(Protocol):
    """Leases by name, each held by at most one holder until it expires or is released."""

    @abc.abstractmethod
    async def acquire_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        """Take the lease `name` for `ttl_seconds` if it is free, expired or already
        `holder`'s (then it is extended); False while another holder's lease is live.
        Atomic: of any number of concurrent callers at most one gets True."""

    @abc.abstractmethod
    async def renew_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        """Extend `holder`'s lease to now + `ttl_seconds`; False if it is no longer theirs
        (it expired and another holder took it, or it was released)."""

    @abc.abstractmethod
    async def release_lease(self, name: str, holder: str) -> None:
        """Give the lease up if `holder` has it; nothing happens otherwise."""

    @abc.abstractmethod
    async def take_over_lease(
        self, name: str, old_holder: str, new_holder: str, ttl_seconds: float
    ) -> bool:
        """Give the lease `name` to `new_holder` for `ttl_seconds` (acquired now) if
        `old_holder` has it, expired or not; False otherwise (another holder took it first,
        or it was released). For a holder known to be dead: of any number of concurrent
        callers naming the same `old_holder`, at most one gets True."""

    @abc.abstractmethod
    async def leases(self) -> list[Lease]:
        """Leases not expired, by name."""
