"""Resolving credential names against a store's graph: the name index of each store, kept per
graph version for the life of the process, and the matching of many names under deadlines.
What the API (`credgraph.api.resolving`), the CLI and the job-posting crawl
(`credgraph.ingest.asked_credentials`) share.

The name index (`credgraph.resolving.index`) covers the whole catalogue, so it is built once
per version of the graph; each use first asks the store for its version token (one cheap read)
and a changed version starts a rebuild, which callers do not wait for once an index exists
unless they ask for a fresh one (`NameIndexCache`). Building and matching are CPU work: both
run in worker threads, under a deadline, while the event loop only waits. A build cut by one
caller's deadline goes on, and the next caller waits for the same build instead of starting
another.

Limits are checked before any work: at most `MAX_NAMES` names, each at most
`MAX_NAME_CHARS` characters, at most `MAX_MATCHES` matches per name.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import ParamSpec, TypeVar

from credgraph import heap
from credgraph.collector import emptied, young_only
from credgraph.errors import InvalidQuery, QueryTimeout
from credgraph.request_threads import INDEX_BUILDS, REQUEST_THREADS
from credgraph.resolving.index import NameIndex
from credgraph.resolving.matching import NameMatch, resolve
from credgraph.store.names import CredentialName
from credgraph.store.ports import GraphReader

MAX_NAMES = 100
MAX_NAME_CHARS = 500
MAX_MATCHES = 10
MATCH_DEADLINE_S = 5.0  # 100 names of 500 characters match in well under a second
BUILD_DEADLINE_S = 120.0  # a first build over a large graph; later ones wait for none
log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")


async def _off_loop(
    seconds: float, what: str, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> T:
    # On the threads for requests' CPU work: never behind the store's reads or an export.
    return await _within(seconds, what, REQUEST_THREADS.run(partial(work, *args, **kwargs)))


async def _within(seconds: float, what: str, waiting: Awaitable[T]) -> T:
    try:
        return await asyncio.wait_for(waiting, seconds)
    except TimeoutError:
        raise QueryTimeout(
            f"{what} did not finish within its deadline of {seconds:g} s; ask about fewer names",
            seconds=seconds,
        ) from None


class NameIndexCache:
    """The name index of one store's graph, rebuilt when the graph's version changes.

    While a newer version's index builds, callers get the previous one (`fresh=False`, what
    the API does): a crawl writing batch after batch would otherwise hold every request up
    for a build each time. One build runs at a time; the first caller after it ends starts
    the next if the graph changed again. With no index yet, or `fresh=True`, callers wait for
    the build of the current version."""

    def __init__(self) -> None:
        self._built: tuple[str, NameIndex] | None = None
        # the version being built, its task, and when it began (time.monotonic())
        self._building: tuple[str, asyncio.Task[NameIndex], float] | None = None

    async def index(
        self, store: GraphReader, *, fresh: bool = False, wait: float = BUILD_DEADLINE_S
    ) -> NameIndex:
        """The index, waiting at most `wait` seconds for a build when one is needed (a
        QueryTimeout saying the build goes on past that)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            version = await store.graph_version()
            if self._built is not None and self._built[0] == version:
                return self._built[1]
            if self._building is None:
                task = asyncio.ensure_future(self._build(store, version))
                task.add_done_callback(_retrieved)
                self._building = (version, task, time.monotonic())
            if self._built is not None and not fresh:
                return self._built[1]
            _, building, began = self._building
            # Not cancelled when this caller stops waiting or is cancelled: others wait for it.
            done, _ = await asyncio.wait({building}, timeout=max(deadline - loop.time(), 0))
            if not done:
                raise QueryTimeout(
                    "the names of the graph's credentials are still being indexed (for "
                    f"{time.monotonic() - began:.0f} s so far; a million credentials take about "
                    "a minute); ask again shortly",
                    seconds=wait,
                )
            building.result()  # the build's error, if it failed

    @property
    def building(self) -> bool:
        """Whether a build is in progress."""
        return self._building is not None

    def stop_building(self) -> None:
        """Cancel the build in progress (a server shutting down): its reading stops; a step
        already in a worker thread runs to its end there, unused."""
        if self._building is not None:
            self._building[1].cancel()
            # Cancelled before it first ran, its `finally` never runs: forget it here.
            self._building = None

    async def _build(self, store: GraphReader, version: str) -> NameIndex:
        try:
            # A million rows, then the index made of them: no full collection walks them.
            with young_only():
                names = await store.credential_names()
                index = await INDEX_BUILDS.run(partial(_index_of, names))
            self._built = (version, index)
            return index
        finally:
            # Only its own record: a build cancelled by `stop_building` may end after another
            # began.
            if self._building is not None and self._building[1] is asyncio.current_task():
                self._building = None


def _index_of(names: list[CredentialName]) -> NameIndex:
    """The index of `names`, which it empties: the index keeps none of the rows, and freed
    here a few at a time they do not hold the GIL (so the event loop) as a million rows
    freed at once by the caller would; the pages they held are given back to the system."""
    index = NameIndex.build(names)
    emptied(names)
    heap.give_back()
    return index


def _retrieved(task: asyncio.Task[NameIndex]) -> None:
    # Every caller may have given up on a failed build, or answered from the previous index:
    # say it here, once.
    if not task.cancelled() and (error := task.exception()) is not None:
        log.warning("building the name index failed: %s", error, exc_info=error)


_caches: weakref.WeakKeyDictionary[GraphReader, NameIndexCache] = weakref.WeakKeyDictionary()


def index_cache(store: GraphReader) -> NameIndexCache:
    """The process's name index cache for `store`."""
    cache = _caches.get(store)
    if cache is None:
        cache = _caches[store] = NameIndexCache()
    return cache


def checked_names(names: Sequence[str], first: int) -> None:
    """An InvalidQuery naming the limit when `names` or `first` is over it (a 4xx-class
    BAD_USER_INPUT error in the API)."""
    if len(names) > MAX_NAMES:
        raise InvalidQuery(f"`names` lists {len(names)} names, over the limit of {MAX_NAMES}")
    for n, name in enumerate(names):
        if len(name) > MAX_NAME_CHARS:
            raise InvalidQuery(
                f"`names[{n}]` is {len(name)} characters, over the limit of {MAX_NAME_CHARS}"
            )
    if not 0 <= first <= MAX_MATCHES:
        raise InvalidQuery(f"`first` must be 0 to {MAX_MATCHES}, got {first}")


def match_names(
    index: NameIndex, names: Sequence[str], first: int, until: float
) -> list[list[NameMatch]]:
    """Each name's matches; stops between names once `time.monotonic()` passes `until`, so a
    request that ran out of time frees its worker thread."""
    out = []
    for name in names:
        if time.monotonic() > until:
            raise QueryTimeout(
                "matching credential names ran past its deadline", seconds=MATCH_DEADLINE_S
            )
        out.append(resolve(index, name, first))
    return out


async def resolve_names(
    store: GraphReader,
    names: Sequence[str],
    first: int,
    *,
    fresh: bool = False,
    wait: float = BUILD_DEADLINE_S,
) -> list[list[NameMatch]]:
    """The matches of each name, in order: what the API and the CLI answer. InvalidQuery
    over a limit, QueryTimeout past a deadline. `fresh`: wait for an index of the graph as
    it is now rather than answer from the previous one while it builds; `wait`: how long a
    build needed may be waited for (it goes on past that)."""
    checked_names(names, first)
    if not names or first == 0:
        return [[] for _ in names]
    index = await index_cache(store).index(store, fresh=fresh, wait=wait)
    until = time.monotonic() + MATCH_DEADLINE_S
    return await _off_loop(
        MATCH_DEADLINE_S, "matching credential names", match_names, index, names, first, until
    )
