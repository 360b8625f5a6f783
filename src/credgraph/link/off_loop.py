"""Linking's CPU in a thread, the event loop waiting for it.

Linking fuzzy-matches every label no node carries, about 10 ms each against ESCO and O*NET:
a page of credentials or postings with new labels takes seconds, which on the event loop
would stop the crawl's other sources, its lease renewals and its metrics meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


async def in_thread(fn: Callable[..., T], *args: object) -> T:
    """`fn(*args)` in a thread. A caller cancelled meanwhile waits for the thread to end
    before the cancellation goes on: a thread cannot be stopped, and what it uses (a linker
    shared under a turn the caller holds) must not be used by another beside it."""
    running = asyncio.ensure_future(asyncio.to_thread(fn, *args))
    try:
        return await asyncio.shield(running)
    except asyncio.CancelledError:
        while not running.done():  # a second cancellation waits too
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait({running})
        if not running.cancelled():
            running.exception()  # retrieved: the caller's cancellation is what goes on
        raise
