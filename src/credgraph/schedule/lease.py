"""Holding a source's lease for the length of a run.

The lease is renewed every third of its time to live, so a live process never loses it to a
slow store call, and a dead one (killed, host gone) loses it one TTL after its last renewal.
If the lease is lost anyway (another holder took it, or renewals failed for a whole TTL) the
run is asked to stop at its next cancellation point: two processes must not keep crawling one
source.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import AsyncIterator, Callable

from credgraph.errors import StoreError
from credgraph.schedule.logs import LOG, log_event
from credgraph.store.base import GraphStore


def lease_name(source_id: str) -> str:
    return f"source:{source_id}"


def new_holder() -> str:
    """Unique per process: host, pid and a random part (pids are reused across restarts)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@contextlib.asynccontextmanager
async def keep_renewed(
    store: GraphStore, name: str, holder: str, ttl: float, on_lost: Callable[[str], None]
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
    store: GraphStore, name: str, holder: str, ttl: float, on_lost: Callable[[str], None]
) -> None:
    renewed_at = time.monotonic()
    while True:
        await asyncio.sleep(ttl / 3)
        try:
            if not await store.renew_lease(name, holder, ttl):
                on_lost(f"lease {name} was taken by another scheduler")
                return
            renewed_at = time.monotonic()
        except StoreError as exc:
            log_event(LOG, logging.WARNING, "lease renewal failed", lease=name, error=str(exc))
            if time.monotonic() - renewed_at >= ttl:
                on_lost(f"lease {name} could not be renewed for {ttl:g} s")
                return
