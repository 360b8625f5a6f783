"""What a server begins as it starts rather than at the first request that needs it: the two
indexes it builds from the whole graph, and the verifier's check worker processes.

matchJob reads against a vocabulary of every skill and occupation label (`match.index`),
resolveCredentials against an index of every credential's names (`resolving.service`). Each
is built on first use and takes seconds at 100,000 credentials, a minute or more at a
million: until it is done, those requests are answered 503 "ask again shortly". Begun at
startup (`CREDGRAPH_WARM_INDEXES`, on by default), the build overlaps the time a replica
takes to join its load balancer, and `/readyz` says when both are there. The warm-up builds
one after the other (a request needing the other index may still start its build meanwhile).
A build that failed does not hold readiness: it is logged, shown as "failed", and the first
request needing it builds again. At shutdown the builds are cancelled; a step already running
in a worker thread (the index itself, up to a minute at a million credentials) ends there
before the process exits. Turned off, a process that never answers those queries never
holds either (at a million credentials, some 750 MiB together).

Two pools of worker processes start here too, side by side: the verifier's check workers
(`verify.workers`, `CREDGRAPH_WARM_VERIFIER`) and the workers that read the page of a posting
`matchJob(url:)` names (`match.fetching.PAGE_PARSERS`, `CREDGRAPH_WARM_PAGE_PARSERS`), both on
by default. Each starts in about half a second, and in several on a machine whose cores are
all busy: time the first request needing them would otherwise spend before its work begins,
outside the deadline that work has (a verification's 2.5 s of checks, a page's 3 s of
reading). `/readyz` waits for them too; a start that failed is logged and retried by the
first request that needs the pool.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from credgraph.match.index import VOCABULARIES
from credgraph.resolving.service import index_cache
from credgraph.store import GraphStore

log = logging.getLogger(__name__)
UNBOUNDED_S = 24 * 3600.0  # a build at startup is waited for as long as it takes


class Readiness(Enum):
    OFF = "off"  # not warmed: built on first use
    BUILDING = "building"
    READY = "ready"
    FAILED = "failed"  # logged; the first request that needs it tries again


@dataclass
class IndexWarmup:
    """Builds both indexes of `store` in the background once `start`ed."""

    store: GraphStore
    enabled: bool = True
    state: dict[str, Readiness] = field(default_factory=dict)
    _task: asyncio.Task[None] | None = None

    def __post_init__(self) -> None:
        first = Readiness.BUILDING if self.enabled else Readiness.OFF
        self.state = {"matching": first, "names": first}

    def start(self) -> None:
        if self.enabled and self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._warm())

    @property
    def ready(self) -> bool:
        """True once nothing begun at startup is still building."""
        return all(s is not Readiness.BUILDING for s in self.state.values())

    async def stop(self) -> None:
        """Stop warming and cancel the builds in progress, begun here or by a request: the
        store is about to close under them."""
        await _cancelled(self._task)
        VOCABULARIES.stop_building(self.store)
        index_cache(self.store).stop_building()

    async def _warm(self) -> None:
        # A failed build: the request that needs it builds it again and says why.
        self.state["matching"] = await _readiness(
            VOCABULARIES.get(self.store), "building the matching index"
        )
        self.state["names"] = await _readiness(
            index_cache(self.store).index(self.store, wait=UNBOUNDED_S),
            "building the names index",
        )


@dataclass(frozen=True)
class WorkerPool:
    """A pool of worker processes a server may start as it starts."""

    start: Callable[[], Awaitable[None]]  # up once this returns; started now when it was not
    enabled: bool = True  # False: started by the first request that needs it


@dataclass
class WorkersWarmup:
    """Starts the enabled `pools`, by name, side by side in the background once `start`ed."""

    pools: Mapping[str, WorkerPool]
    state: dict[str, Readiness] = field(default_factory=dict)
    _task: asyncio.Task[None] | None = None

    def __post_init__(self) -> None:
        self.state = {
            name: Readiness.BUILDING if pool.enabled else Readiness.OFF
            for name, pool in self.pools.items()
        }

    def start(self) -> None:
        if self._task is None and any(p.enabled for p in self.pools.values()):
            self._task = asyncio.get_running_loop().create_task(self._start())

    @property
    def ready(self) -> bool:
        return all(s is not Readiness.BUILDING for s in self.state.values())

    async def stop(self) -> None:
        """Stop waiting for the starts (the pools themselves are stopped by their owners)."""
        await _cancelled(self._task)

    async def _start(self) -> None:
        await asyncio.gather(
            *(self._started(name, pool) for name, pool in self.pools.items() if pool.enabled)
        )

    async def _started(self, name: str, pool: WorkerPool) -> None:
        # Failed: the first request needing the pool starts it again and says why.
        self.state[name] = await _readiness(pool.start(), f"starting the {name} workers")


async def _readiness(work: Awaitable[Any], what: str) -> Readiness:
    """READY once `work` is done; FAILED, logged, when it raised."""
    try:
        await work
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        log.warning("%s at startup failed: %s", what, exc, exc_info=exc)
        return Readiness.FAILED
    return Readiness.READY


async def _cancelled(task: asyncio.Task[None] | None) -> None:
    """`task` cancelled and ended (its own cancellation absorbed)."""
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
