"""Linking verified definitions to the framework skills and occupations the store holds, with
the same `Linker` a crawl uses, so a badge class ingested from a verification carries the
links (node, method, confidence) a crawl of that badge class would give it.

    shared = SharedLinker()                          # one per Verifier, so one per process
    definitions = await link_definitions(shared, store, definitions, draft.checks)

Building a linker reads the store's whole framework index (seconds at ESCO size), so it is
never built per request: `SharedLinker` builds one on first need, and rebuilds it once it is
older than `max_age_seconds`. A build is a task the SharedLinker owns, one at a time:
concurrent verifications wait for the same one, and a verification that stops waiting (its
store deadline, shorter than a build at ESCO size can be) leaves it running for the next
instead of cancelling it, so a build longer than one verification's wait still ends.
A build that fails does not fail the verification: the previous linker serves on when there is
one; when there is none the definitions are returned unlinked and a non-blocking
`framework-links` check says why.

Linking costs CPU (~10 ms of fuzzy matching per distinct name at ESCO size, and 0.5 s to build
the fuzzy table after a rebuild), so it runs off the event loop, in the SharedLinker's one
linking thread. Not a worker process: the linker holds the whole framework index, which is
too big to pickle per request, and a thread cannot be stopped at a deadline, so its input is
bounded before it is spent instead: one verification links at most MAX_ALIGNMENTS skills and
occupations (definitions past that are kept as the badge names them, and a non-blocking
check says so). One thread links, so the linker's caches are never touched by two at once;
a rebuild runs in another, so verifications linking with the previous linker meanwhile do
not wait for it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from credgraph.link import Linker
from credgraph.link.index import framework_nodes, index_of
from credgraph.model.records import Credential
from credgraph.model.values import NodeKind
from credgraph.model.views import GraphNode
from credgraph.store.base import GraphStore
from credgraph.verify.limits import MAX_ALIGNMENTS
from credgraph.verify.result import Checks

# A taxonomy import relinks every stored credential when it finishes, but a linker built
# before it does not know the new nodes: a definition ingested with it stays unlinked to them
# until the next import. Ten minutes bounds that window while rebuilding (seconds of reading
# at ESCO size) at most six times an hour under steady traffic.
DEFAULT_MAX_AGE_SECONDS = 600.0
# After a failed build, verifications go unlinked for this long instead of each paying for
# another attempt against a store that is failing (a timeout can take seconds).
RETRY_AFTER_SECONDS = 30.0
CHECK_NAME = "framework-links"
log = logging.getLogger("credgraph.verify")

T = TypeVar("T")
LoadLinker = Callable[[GraphStore], Awaitable[Linker]]
Clock = Callable[[], float]


class LinkerUnavailable(Exception):
    """The linker could not be built; the message says why (a failure or a recent one)."""


@dataclass(frozen=True, slots=True)
class _Built:
    store: weakref.ref[GraphStore]
    linker: Linker
    at: float


@dataclass(frozen=True, slots=True)
class _Building:
    store: weakref.ref[GraphStore]
    task: asyncio.Task[Linker]


class SharedLinker:
    """One `Linker` over one store's frameworks, built lazily and rebuilt after `max_age_seconds`.

    The linker belongs to the store it was read from: asked for another store's (a Verifier
    serving two stores, as tests do), it is rebuilt. While one task rebuilds a stale linker,
    the others keep using the stale one rather than wait seconds for its successor, and a
    rebuild that fails leaves the stale one in service. A build is not the caller's: callers
    wait for it shielded, so one that gives up (or is cancelled) does not stop it, and its
    success or failure is recorded for the next. `builds` counts successful builds.
    """

    def __init__(
        self,
        *,
        max_age_seconds: float = DEFAULT_MAX_AGE_SECONDS,
        load: LoadLinker | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        self.max_age_seconds = max_age_seconds
        self.builds = 0
        self._load = load or self._load_in_thread
        self._clock = clock
        self._built: _Built | None = None
        self._failed: tuple[weakref.ref[GraphStore], float, str] | None = None
        self._building: _Building | None = None
        # One thread links, another builds: a rebuild (seconds) makes a new linker, and the
        # verifications it serves the previous one to must not queue behind it.
        self._threads: dict[str, ThreadPoolExecutor] = {}
        self._thread_lock = threading.Lock()

    async def link(self, linker: Linker, definitions: Sequence[Credential]) -> list[Credential]:
        """`definitions` linked by `linker` in the linking thread."""
        return await self._in_thread("linking", _link_all, linker, list(definitions))

    async def _load_in_thread(self, store: GraphStore) -> Linker:
        """A linker over `store`'s frameworks: the nodes read on the loop (the store's reads
        wait, they do not compute), the index built in the linking thread (about 2 s of CPU
        at ESCO size; its input is the store's frameworks, bounded by what was imported)."""
        nodes = await framework_nodes(store)
        pairs = await store.equivalence_pairs()
        return await self._in_thread("building", _linker_of, nodes, pairs)

    async def _in_thread(self, which: str, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in the `which` thread ("linking" or "building"; each started on first
        use, joined at exit, idle)."""
        with self._thread_lock:
            thread = self._threads.get(which)
            if thread is None:
                thread = self._threads[which] = ThreadPoolExecutor(
                    1, thread_name_prefix=f"credgraph-{which}"
                )
        return await asyncio.get_running_loop().run_in_executor(thread, fn, *args)

    async def get(self, store: GraphStore) -> Linker:
        """The linker over `store`'s frameworks. When a rebuild fails, the previous linker of
        the same store serves on; with none, raises LinkerUnavailable (the store failed, now
        or less than RETRY_AFTER_SECONDS ago). A caller that stops waiting leaves the build
        running: the next caller waits for the same one."""
        while True:
            if (linker := self._fresh(store)) is not None:
                return linker
            building = self._under_way()
            if building is not None and (stale := self._of(store)) is not None:
                return stale  # a rebuild is under way: the previous index is still a good one
            if building is None:
                if (reason := self._recent_failure(store)) is not None:
                    return self._stale_or_unavailable(store, reason)
                building = self._start(store)
            try:
                # Shielded: this caller's deadline or cancellation is its own, not the build's.
                linker = await asyncio.shield(building.task)
            except LinkerUnavailable as exc:
                if building.store() is store:
                    return self._stale_or_unavailable(store, str(exc))
                continue  # another store's build failed: this store's can start now
            if building.store() is store:
                return linker
            # Another store's build (one at a time) ended: this store's starts on the next turn.

    def _stale_or_unavailable(self, store: GraphStore, reason: str) -> Linker:
        """The previous linker of `store`, older than wanted but better than no links at all;
        LinkerUnavailable(reason) when there is none."""
        if (stale := self._of(store)) is not None:
            return stale
        raise LinkerUnavailable(reason)

    def _under_way(self) -> _Building | None:
        building = self._building
        # A task cancelled before it first ran (its loop shut down) never cleared its record.
        return building if building is not None and not building.task.done() else None

    def _start(self, store: GraphStore) -> _Building:
        task = asyncio.ensure_future(self._build(store))
        task.add_done_callback(_retrieved)
        self._building = _Building(weakref.ref(store), task)
        return self._building

    async def _build(self, store: GraphStore) -> Linker:
        """A new linker over `store`'s frameworks, recorded; a failure recorded too, as a
        LinkerUnavailable saying why, whether or not any caller still waits for it."""
        try:
            linker = await self._load(store)
            self._built = _Built(weakref.ref(store), linker, self._clock())
            self._failed = None
            self.builds += 1
            return linker
        except Exception as exc:
            # Any failure, not only StoreError: links enrich a verified award, they never
            # decide it, so a bug or a driver error here must not cost the answer.
            log.warning("could not build the framework linker", exc_info=True)
            reason = f"{type(exc).__name__}: {exc}"
            self._failed = (weakref.ref(store), self._clock(), reason)
            raise LinkerUnavailable(reason) from exc
        finally:
            if self._building is not None and self._building.task is asyncio.current_task():
                self._building = None

    def _of(self, store: GraphStore) -> Linker | None:
        built = self._built
        return built.linker if built is not None and built.store() is store else None

    def _fresh(self, store: GraphStore) -> Linker | None:
        built = self._built
        if built is None or self._clock() - built.at >= self.max_age_seconds:
            return None
        return self._of(store)

    def _recent_failure(self, store: GraphStore) -> str | None:
        """Why the last build for `store` failed, when that was under RETRY_AFTER_SECONDS ago."""
        if self._failed is None:
            return None
        failed_store, at, reason = self._failed
        if failed_store() is not store or self._clock() - at >= RETRY_AFTER_SECONDS:
            return None
        return f"{reason} (failed {self._clock() - at:.0f} s ago)"


def _retrieved(task: asyncio.Task[Linker]) -> None:
    # Every caller may have given up before a build failed; `_build` logged the failure.
    if not task.cancelled():
        task.exception()


def _linker_of(nodes: list[GraphNode], pairs: list[tuple[NodeKind, str, str]]) -> Linker:
    return Linker(index_of(nodes, pairs))


def _link_all(linker: Linker, definitions: list[Credential]) -> list[Credential]:
    return [linker.link_credential(d) for d in definitions]


def _mentions(definition: Credential) -> int:
    return len(definition.skills) + len(definition.occupations)


def _mentions_any(definitions: Sequence[Credential]) -> bool:
    return any(d.skills or d.occupations for d in definitions)


async def link_definitions(
    shared: SharedLinker,
    store: GraphStore | None,
    definitions: Sequence[Credential],
    checks: Checks,
) -> list[Credential]:
    """`definitions` with their skill and occupation links resolved against `store`'s
    frameworks, as `link_result` does for a crawled page. Without a store, or when no
    definition mentions a skill or occupation, nothing is built and they come back as they
    are; when the linker cannot be built, too, with a non-blocking check saying so."""
    if store is None or not _mentions_any(definitions):
        return list(definitions)
    try:
        linker = await shared.get(store)
    except LinkerUnavailable as exc:
        checks.not_checked(
            CHECK_NAME,
            "skills and occupations are kept as the badge names them, not linked to the "
            f"framework nodes of the graph: could not load the frameworks ({exc})",
            blocking=False,
        )
        return list(definitions)
    # The linking thread's work is bounded here, before it starts: MAX_ALIGNMENTS mentions.
    budget, chosen, unlinked = MAX_ALIGNMENTS, [], 0
    for definition in definitions:
        fits = _mentions(definition) <= budget
        budget -= _mentions(definition) if fits else 0
        unlinked += 0 if fits else 1
        chosen.append(fits)
    linked = iter(
        await shared.link(linker, [d for d, c in zip(definitions, chosen, strict=True) if c])
    )
    if unlinked:
        checks.not_checked(
            CHECK_NAME,
            f"{unlinked} definition(s) kept as the badge names their skills and occupations, "
            f"not linked: one verification links at most {MAX_ALIGNMENTS} (MAX_ALIGNMENTS)",
            blocking=False,
        )
    return [next(linked) if c else d for d, c in zip(definitions, chosen, strict=True)]
