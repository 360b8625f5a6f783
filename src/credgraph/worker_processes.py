"""A small pool of worker processes for CPU work that must be stoppable at a deadline (a
thread cannot be stopped): pebble's ProcessPool, forked from a fork server that has imported
the work's modules once (a killed worker is replaced in milliseconds, and nothing is forked
from the parent's threads). Started on first use, off the event loop; stopped by `aclose()`
or `close()`, or by a finaliser when dropped unclosed, so no worker outlives its owner.

Used by the verifier's checks (`verify.workers`) and the crawl's parsers
(`ingest.parse_workers`). Like every multiprocessing start method but fork, the fork server
asks a script using them to guard its entry point with `if __name__ == "__main__":`.
"""

from __future__ import annotations

import ast
import asyncio
import multiprocessing
import sys
import threading
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from pebble import ProcessPool

# What every pool of the process asks its fork server to import. A process has one fork
# server, started by the first pool that starts and never told of another's modules: each
# pool adds its own here when made (an API process makes its pools as it starts, before any
# is used), and each start asks for them all, so a later pool's workers do not import their
# modules on every fork (0.7 s each for the verifier's checks when a matchJob page parse
# started the server first).
_PRELOADS: dict[str, None] = {"__main__": None}


def modules_main_imports() -> list[str]:
    """The modules the main script imports, and the parent has imported (`credgraph.cli.main`
    for the `credgraph` command, whose script is `from credgraph.cli.main import main`).

    Every worker runs the main script again before its first task, as `__mp_main__`, so that
    what it defines can be unpickled there. The fork server is meant to have imported the
    script once ("__main__" in its preloads), but Python 3.11 and 3.12 never give it the
    script's path, so each worker imported the whole command line interface anew: about 1 s
    of CPU per worker started or replaced under `credgraph`, against 10 ms. With the script's
    imports preloaded, running it again finds them done. Read from the script's source, as
    written: `import a.b` and `from a.b import c` both name `a.b`. Modules beside the script
    are left to the workers: the fork server runs without the script's arguments, and a
    module that reads them as it is imported would stop it (it stops on any error but an
    ImportError), and every pool with it."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or getattr(main, "__spec__", None) is not None or not isinstance(path, str):
        return []  # `python -m`: a package's __main__ is not run again; no script: nothing
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return []
    found: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(dict.fromkeys(alias.name for alias in node.names))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found[node.module] = None
    beside = Path(path).resolve().parent
    return [name for name in found if name in sys.modules and not _beside(name, beside)]


def _beside(name: str, folder: Path) -> bool:
    """Whether the imported module `name` was loaded from `folder` or below it."""
    origin = getattr(sys.modules[name], "__file__", None)
    return isinstance(origin, str) and Path(origin).resolve().is_relative_to(folder)


class WorkerProcesses:
    """`workers` processes forked from a server that preloads `preload` ("__main__" first, as
    multiprocessing's default has it). `unable(error)` is what starting raises when the pool
    breaks before a worker is up (the script's entry point unguarded, most often);
    `max_tasks`: the tasks a worker runs before it is replaced (0: no limit)."""

    def __init__(
        self,
        workers: int,
        preload: Sequence[str],
        unable: Callable[[BrokenProcessPool], Exception] | None = None,
        *,
        max_tasks: int = 0,
    ) -> None:
        self.workers = workers
        self.preload = list(preload)
        _PRELOADS.update(dict.fromkeys(self.preload))
        self.unable = unable
        self.max_tasks = max_tasks
        self._pool: ProcessPool | None = None
        self._finalizer: weakref.finalize[..., WorkerProcesses] | None = None
        self._lock = threading.Lock()  # starting and stopping happen in worker threads
        # Tasks scheduled and not done: pebble leaves a stopped pool's futures pending, so
        # closing cancels them, and whoever awaits one is answered.
        self._in_flight: set[Future[Any]] = set()

    @property
    def running(self) -> bool:
        """Whether worker processes are up (none before the first use, none once closed)."""
        pool = self._pool
        return pool is not None and pool.active

    async def pool(self) -> ProcessPool:
        """The running pool, started now when it never was, was stopped, or broke. Starting
        waits for the fork server to import the preloaded modules: off the event loop."""
        pool = self._pool
        if pool is None or not pool.active:
            pool = await asyncio.to_thread(self._started)
        return pool

    async def schedule(
        self, fn: Callable[..., Any], args: tuple[Any, ...], timeout: float
    ) -> Future[Any]:
        """`fn(*args)` scheduled in a worker with pebble's `timeout` (the worker running it
        past that is killed); the pool started first when it is not running. Closing the
        pool cancels the task if it is not done by then."""
        pool = await self.pool()
        future: Future[Any] = pool.schedule(fn, args=args, timeout=timeout)
        self._in_flight.add(future)
        future.add_done_callback(self._in_flight.discard)
        return future

    async def aclose(self) -> None:
        """Stop the workers (a running task is killed and its future cancelled); the next
        use starts new ones."""
        await asyncio.to_thread(self.close)

    def close(self) -> None:
        """Stop the workers, blocking until they have exited."""
        with self._lock:
            self._stop()
        for future in list(self._in_flight):
            future.cancel()

    def _stop(self) -> None:
        if self._finalizer is not None:
            self._finalizer()  # stops the pool once, and not again when dropped
        self._pool, self._finalizer = None, None

    def _started(self) -> ProcessPool:
        with self._lock:
            if self._pool is None or not self._pool.active:
                self._stop()
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload([*_PRELOADS, *modules_main_imports()])
                pool = ProcessPool(
                    max_workers=self.workers, max_tasks=self.max_tasks, context=context
                )
                self._finalizer = weakref.finalize(self, _stop, pool)
                try:
                    pool.schedule(_ready).result()  # the fork server has imported the modules
                except BrokenProcessPool as exc:
                    self._stop()
                    if self.unable is None:
                        raise
                    raise self.unable(exc) from exc
                self._pool = pool
            return self._pool


def _ready() -> None:
    """A worker is up."""


def _stop(pool: ProcessPool) -> None:
    pool.stop()  # type: ignore[no-untyped-call]  # pebble leaves it unannotated
    pool.join()
