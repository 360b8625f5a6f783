"""Holding a source's lease for the length of a run.

The lease is renewed every third of its time to live, so a live process never loses it to a
slow store call, and a dead one (killed, host gone) loses it one TTL after its last renewal.
A renewal that fails is tried again a twelfth of the TTL later. The holder counts on its
lease for five sixths of the TTL from when it last asked for a renewal that succeeded (the
store cannot have let it expire before then + TTL); a renewal still unanswered then is given
up, however long the store call would go on (on Neo4j the driver retries one for
CREDGRAPH_NEO4J_RETRY_SECONDS). If the lease is lost (another holder took it, or it could not
be renewed in that time) the run is asked to stop at its next cancellation point, before
another process may take the source: two processes must not keep crawling one source. A run
that ends after all the same cannot overwrite the next holder's record of it: a run's ended
record is final in the store.

A lease whose holder is known to be gone (a process of this machine that was killed, see
holder.py) is taken over at once rather than one TTL later; the old holder is named in the
store's compare-and-set, so of two processes finding it dead only one gets it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

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


Clock = Callable[[], float]
Sleep = Callable[[float], Coroutine[Any, Any, None]]


def renewal_interval(ttl: float) -> float:
    """How long a renewed lease waits for its next renewal."""
    return ttl / 3


def trusted_for(ttl: float) -> float:
    """How long after a renewal was asked for the holder counts on the lease.

    The store starts the new TTL when it gets the renewal, no earlier than when it was asked
    for, so the lease cannot expire before then + TTL. The holder gives up a sixth of the TTL
    before that: the run it stops finishes the document in hand first, and another host's
    clock (SQLite leases use the hosts' clocks) may run a little ahead."""
    return ttl - ttl / 6


def retry_pause(ttl: float) -> float:
    """How long a failed renewal waits before the next try (several fit in the TTL)."""
    return ttl / 12


@contextlib.asynccontextmanager
async def keep_renewed(
    store: LeaseKeeper,
    name: str,
    holder: str,
    ttl: float,
    on_lost: Callable[[str], None],
    *,
    clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
) -> AsyncIterator[None]:
    """Renew the (already acquired) lease `name` in the background while the block runs;
    `on_lost(reason)` once the lease is lost or can no longer be counted on."""
    task = asyncio.create_task(_renew(store, name, holder, ttl, on_lost, clock, sleep))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _renew(
    store: LeaseKeeper,
    name: str,
    holder: str,
    ttl: float,
    on_lost: Callable[[str], None],
    clock: Clock,
    sleep: Sleep,
) -> None:
    # Acquired just before the block began: counted from now, the lease is trusted no
    # longer than it really lasts.
    trusted_until = clock() + trusted_for(ttl)
    next_try = clock() + renewal_interval(ttl)
    while True:
        await sleep(max(0.0, next_try - clock()))
        asked_at = clock()
        left = trusted_until - asked_at
        if left <= 0:
            on_lost(f"lease {name} could not be renewed within its {ttl:g} s TTL")
            return
        try:
            # One renewal can take far longer than the TTL (on Neo4j the driver retries a
            # transaction for CREDGRAPH_NEO4J_RETRY_SECONDS): it gets the time left, no more.
            ours = await _within(left, store.renew_lease(name, holder, ttl), sleep)
        except StoreError as exc:
            log_event(LOG, logging.WARNING, "lease renewal failed", lease=name, error=str(exc))
            next_try = min(clock() + retry_pause(ttl), trusted_until)
            continue
        if ours is None:
            on_lost(f"lease {name} could not be renewed within its {ttl:g} s TTL")
            return
        if not ours:
            on_lost(f"lease {name} was taken by another process")
            return
        trusted_until = asked_at + trusted_for(ttl)
        next_try = asked_at + renewal_interval(ttl)


async def _within(seconds: float, call: Coroutine[Any, Any, bool], sleep: Sleep) -> bool | None:
    """What `call` answers, or None when it has not answered once `seconds` have passed on
    `sleep`'s clock. What it raises passes through.

    A call given up is cancelled but not waited for: cancelling a call stuck on a silent
    connection may wait on that connection too, and the holder must hear now that its lease
    is gone."""
    attempt = asyncio.create_task(call)
    timer = asyncio.create_task(sleep(seconds))
    try:
        await asyncio.wait((attempt, timer), return_when=asyncio.FIRST_COMPLETED)
    finally:
        timer.cancel()
        answered = attempt.done()
        if not answered:
            attempt.cancel()
            attempt.add_done_callback(_forget)
    return attempt.result() if answered else None


def _forget(task: asyncio.Task[bool]) -> None:
    """Take a given-up call's outcome, so that asyncio does not report it as never retrieved."""
    if not task.cancelled():
        task.exception()
