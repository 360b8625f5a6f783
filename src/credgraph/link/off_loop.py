"""Linking's CPU in a thread, the event loop waiting for it.

Linking fuzzy-matches every label no node carries, about 10 ms each against ESCO and O*NET:
a page of credentials or postings with new labels takes seconds, which on the event loop
would stop the crawl's other sources, its lease renewals and its metrics meanwhile. Other
crawls write meanwhile: `still_current` keeps a re-linking pass from writing back a record
older than the one they stored.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

T = TypeVar("T")
REREADS = 3  # times records written meanwhile are linked again before one is left


class Record(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=Record)  # a record as stored (Credential, JobPosting)
V = TypeVar("V")  # the store's view of one (CredentialView, PostingView)


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


async def still_current(
    relinked: list[R],
    read: Sequence[V],
    record_of: Callable[[V], R],
    stored: Callable[[list[str]], Awaitable[Sequence[V]]],
    relink: Callable[[list[V]], Awaitable[list[R]]],
) -> list[R]:
    """`relinked` (copies made from the views `read`), each still the relinked copy of what
    is stored: one written since it was read is linked again (`relink`) from what `stored`
    reads now, and left alone when it was removed or still changes after `REREADS` tries.
    So a pass never writes an older copy over a crawl's newer one, which that crawl, its
    document unchanged, would not write again."""
    seen = {record_of(v).id: record_of(v) for v in read}
    for attempt in range(REREADS + 1):
        if not relinked:
            break
        now = {record_of(v).id: v for v in await stored([r.id for r in relinked])}
        moved = [now[r.id] for r in relinked if r.id in now and record_of(now[r.id]) != seen[r.id]]
        moved_ids = {record_of(v).id for v in moved}
        relinked = [r for r in relinked if r.id in now and r.id not in moved_ids]
        if not moved or attempt == REREADS:
            break
        relinked += await relink(moved)
        seen.update((record_of(v).id, record_of(v)) for v in moved)
    return relinked
