"""Holding a source's lease for the length of a run.

The lease is renewed every third of its time to live, so a live process never loses it to a
slow store call, and a dead one (killed, host gone) loses it one TTL after its last renewal.
If the lease is lost anyway (another holder took it, or renewals failed for a whole TTL) the
run is asked to stop at its next cancellation point: two processes must not keep crawling one
source.

A lease whose holder is known to be gone (a process of this machine that was killed, see
holder.py) is taken over at once rather than one TTL later; the old holder is named in the
store's compare-and-set, so of two processes finding it dead only one gets it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from credgraph.errors import StoreError
from credgraph.model.lease import Lease
from credgraph.schedule.holder import holder_is_gone, new_holder
from credgraph.schedule.logs import LOG, log_event
from credgraph.store.ports import LeaseKeeper

__all__ = ["Claim", "claim_lease", "keep_renewed", "lease_name", "new_holder"]


def lease_name(source_id: str) -> str:
    return f"source:{source_id}"


@dataclass(frozen=True, slots=True)
class Claim:
    """What asking for a lease gave: ours or not, and whose it was or is."""

    ours: bool
    taken_from: Lease | None = None  # ours, taken over from this lease of a dead holder
    held_by: Lease | None = None  # not ours: the live lease (None if it vanished meanwhile)


async def claim_lease(
    store: LeaseKeeper,
    name: str,
    holder: str,
    ttl: float,
    gone: Callable[[str], bool] = holder_is_gone,
) -> Claim:
    """Acquire the lease `name`, or take it over when its holder is `gone`.

    StoreError passes through."""
    if await store.acquire_lease(name, holder, ttl):
        return Claim(ours=True)
    current = await _live_lease(store, name)
    if current is not None and not gone(current.holder):
        return Claim(ours=False, held_by=current)
    if current is not None and await store.take_over_lease(name, current.holder, holder, ttl):
        return Claim(ours=True, taken_from=current)
    # It expired or was released since (or another process took it over first): one more
    # ordinary try, then whoever holds it now is the answer.
    if await store.acquire_lease(name, holder, ttl):
        return Claim(ours=True)
    return Claim(ours=False, held_by=await _live_lease(store, name))


async def _live_lease(store: LeaseKeeper, name: str) -> Lease | None:
    return next((lease for lease in await store.leases() if lease.name == name), None)


@contextlib.asynccontextmanager
async def keep_renewed(
    store: LeaseKeeper, name: str, holder: str, ttl: float, on_lost: Callable[[str], None]
) -> AsyncIterator[None]:
    """Renew the (already acquired) lease `name` in the background while the block runs."""
    task = asyncio.create_task(_renew(store, name, holder, ttl, on_lost))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _renew(
    store: LeaseKeeper, name: str, holder: str, ttl: float, on_lost: Callable[[str], None]
) -> None:
    renewed_at = time.monotonic()
    while True:
        await asyncio.sleep(ttl / 3)
        try:
            if not await store.renew_lease(name, holder, ttl):
                on_lost(f"lease {name} was taken by another process")
                return
            renewed_at = time.monotonic()
        except StoreError as exc:
            log_event(LOG, logging.WARNING, "lease renewal failed", lease=name, error=str(exc))
            if time.monotonic() - renewed_at >= ttl:
                on_lost(f"lease {name} could not be renewed for {ttl:g} s")
                return
