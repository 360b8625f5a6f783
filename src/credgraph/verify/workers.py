"""Worker processes for the checks that cost CPU: JSON-LD expansion, RDF canonicalisation,
JSON Schema validation, reading status and revocation lists, parsing the definition and
reading badge pages. Canonicalisation is factorial in the worst case (eight blank nodes
that all reference each other take a minute), and a thread cannot be stopped, so these run in
worker processes under a deadline: a worker still busy at the deadline is killed and replaced,
and the check is NOT_CHECKED (the verification UNVERIFIABLE) with a reason naming the limit.

    workers = CheckWorkers()                    # no process yet: started on first use
    allowance = workers.allowance(2.5)          # one per verification
    nquads = await allowance.run("canonicalisation", canonical, document)
    await workers.aclose()

One verification spends one allowance across all its checks (those of the credentials a CLR
carries too), queueing for a busy worker included: however many checks a document asks for,
its verification computes for at most that long, and holds a worker no longer.

Workers start from a fork server that has imported the checks once
(`credgraph.worker_processes`); a script using a Verifier guards its entry point with
`if __name__ == "__main__":`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from pebble import ProcessExpired

from credgraph.verify.errors import Unverifiable
from credgraph.worker_processes import WorkerProcesses

T = TypeVar("T")

WORKERS = 2  # one hostile client holds at most one (one verification in flight per client)
# Far above the fullest real credential's checks (bench/verify_bench.py times them), and well
# inside a 5 s answer.
SECONDS = 2.5
# "__main__" as multiprocessing's default has it: imported once by the fork server, not again
# by each worker it forks.
_PRELOAD = [
    "__main__",
    "credgraph.verify.bitstring",
    "credgraph.verify.data_integrity",
    "credgraph.verify.definitions",
    "credgraph.verify.pages",
    "credgraph.verify.ecdsa_sd",
    "credgraph.verify.schema",
]


class CheckWorkers:
    """A small pool of worker processes, started on first use; `aclose()` stops it (a
    finaliser does when it is dropped unclosed, so a one-shot CLI still exits promptly)."""

    def __init__(self, workers: int = WORKERS) -> None:
        self.workers = workers
        self._processes = WorkerProcesses(workers, _PRELOAD)

    @property
    def running(self) -> bool:
        """Whether the worker processes are up."""
        return self._processes.running

    def allowance(self, seconds: float = SECONDS) -> Allowance:
        """The computing time of one verification."""
        return Allowance(self, seconds)

    async def started(self) -> None:
        """The workers are up (started now when they were not: ~0.4-1.3 s, off the loop)."""
        await self._processes.pool()

    async def run(self, fn: Callable[..., T], *args: Any, timeout: float) -> T:
        """`fn(*args)` in a worker, given `timeout` seconds from now (queueing included):
        TimeoutError when it ran past them (the worker is killed), WorkersBusy when it never
        started, Unverifiable when the worker died under it."""
        # Never started, stopped or broken: started now (~0.4 s the first time, off the loop).
        future = await self._processes.schedule(_call, (fn, args), timeout)
        waiting: asyncio.Future[T] = asyncio.wrap_future(future)
        # Cancelling `waiting` cancels `future`, and pebble kills a worker running a cancelled
        # task: on the deadline, and when the request itself is cancelled (a client gone, a
        # request timeout).
        try:
            done, _ = await asyncio.wait({waiting}, timeout=timeout)
        except asyncio.CancelledError:
            waiting.cancel()
            raise
        if not done:
            started = future.running()
            waiting.cancel()
            raise TimeoutError if started else WorkersBusy
        if waiting.cancelled():  # by the pool, as when it is stopped under a running check
            raise Unverifiable("the check workers were stopped")
        try:
            return waiting.result()
        except ProcessExpired as exc:
            raise Unverifiable(f"the worker process died ({exc})") from exc
        except BrokenProcessPool as exc:  # pebble's way too of ending a check the stop cut
            raise Unverifiable("the check workers were stopped") from exc

    async def aclose(self) -> None:
        """Stop the workers (a running check is killed); the next `run` starts new ones."""
        await self._processes.aclose()

    def close(self) -> None:
        """Stop the workers, blocking until they have exited (~0.1 s)."""
        self._processes.close()


class WorkersBusy(Exception):
    """Every worker stayed busy with other verifications until the deadline."""


class Allowance:
    """What is left of one verification's computing time; every check it runs shares it.
    Only the time its checks spend in the workers counts (waiting for one included): not
    the fetches between them, nor the workers' start, so a slow issuer's server or a cold
    process leaves a valid credential's checks their whole time."""

    def __init__(self, workers: CheckWorkers, seconds: float) -> None:
        self.workers = workers
        self.seconds = seconds
        self._left = seconds

    async def run(self, what: str, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in a worker; Unverifiable naming `what` and the limit past it."""
        if self._left <= 0:
            raise Unverifiable(self._over(what))
        await self.workers.started()
        began = time.monotonic()
        try:
            return await self.workers.run(fn, *args, timeout=self._left)
        except TimeoutError as exc:
            raise Unverifiable(self._over(what)) from exc
        except WorkersBusy as exc:
            raise Unverifiable(
                f"{what} could not start within {self.seconds:g} s: the check workers were busy "
                "with other verifications; try again"
            ) from exc
        finally:
            self._left -= time.monotonic() - began

    def _over(self, what: str) -> str:
        return (f"{what} took longer than {self.seconds:g} s, the computing time one "
                "verification may use (stopped)")  # fmt: skip


def _call(fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    """Runs in the worker: input that makes a library recurse past Python's limit is the
    document's fault, said as such rather than as a crash."""
    try:
        return fn(*args)
    except RecursionError as exc:
        raise Unverifiable("the document nests too deeply to process") from exc
