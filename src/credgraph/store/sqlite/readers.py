"""Reads off the event loop, each under a deadline that really stops it.

A read runs in one of a few worker threads, on that thread's own connection (opened on first
use, `query_only`), inside one read transaction, so it sees one snapshot of the graph while
the store's single writer connection goes on writing (WAL). The event loop only awaits it:
a slow page query no longer holds up every other request of the process, or `/healthz`.

The deadline counts from the moment the read is asked for, queueing included. When it passes,
a timer on the event loop calls `Connection.interrupt()` on the connection the read runs on,
and SQLite stops the statement at its next step; the read raises `QueryTimeout`. A read whose
caller has gone (its task was cancelled, by the API's own operation timeout for one) is
interrupted the same way, so it frees its thread at once instead of running on unseen. An
interrupt needs no help from the reading thread, which matters: a progress handler would
have to take the GIL from a busy event loop every few thousand instructions.

What Python does between two statements of a read (decoding the rows) is not interrupted; it
is bounded by what the statements returned.

A `:memory:` database cannot be shared between connections, so there reads run on the
writer's connection, on the writer's thread between its writes (on the calling thread, a
read begun while a write ran made the write fail), with a progress handler keeping the
deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from credgraph.errors import QueryTimeout, StoreError
from credgraph.store.sqlite.connection import connect_reader, translate
from credgraph.store.sqlite.writer import WriterThread

DEFAULT_READ_THREADS = 2  # two reads at once use two cores; more mostly contend for the GIL
DEFAULT_READ_DEADLINE_S = 10.0
INLINE_PROGRESS_STEPS = 10_000  # VM instructions between deadline checks, :memory: only

P = ParamSpec("P")
R = TypeVar("R")
Read = Callable[Concatenate[sqlite3.Connection, P], R]
# What a reader thread is handed: where to answer, the read bound to its arguments, its watch.
_Job = tuple[
    asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[[sqlite3.Connection], Any], "_Watch"
]


class _Watch:
    """One read's deadline, and the connection to interrupt while the read is on it."""

    def __init__(self, seconds: float, what: str) -> None:
        self.seconds = seconds
        self.what = what  # the read, as an error names it
        self.deadline = time.monotonic() + seconds
        self.started = False
        self.stopped = False
        self.timed_out = False
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def attach(self, conn: sqlite3.Connection) -> bool:
        """Start the read on `conn`; False when it was stopped before it could start."""
        with self._lock:
            if self.stopped:
                return False
            self.started, self._conn = True, conn
            return True

    def detach(self) -> None:
        with self._lock:
            self._conn = None

    def stop(self, *, timed_out: bool) -> bool:
        """Interrupt the read if it is running, keep it from starting if not; whether it
        had started."""
        with self._lock:
            self.stopped = True
            self.timed_out = self.timed_out or timed_out
            if self._conn is not None:
                self._conn.interrupt()
            return self.started

    def past_deadline(self) -> bool:
        return time.monotonic() > self.deadline


class ReadPool:
    """`threads` reader threads over the SQLite file at `path`; `run` does one read in one."""

    def __init__(
        self, path: Path, *, threads: int, deadline_seconds: float, busy_timeout_ms: int
    ) -> None:
        if threads < 1:
            raise ValueError(f"read_threads must be at least 1, got {threads}")
        if not deadline_seconds > 0:
            raise ValueError(f"read_deadline_seconds must be positive, got {deadline_seconds}")
        self.path = path
        self.threads = threads
        self.deadline_seconds = deadline_seconds
        self._busy_timeout_ms = busy_timeout_ms
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._workers: list[threading.Thread] = []
        self._inline: tuple[sqlite3.Connection, WriterThread] | None = None
        self._running: set[_Watch] = set()

    def start(self, writer: sqlite3.Connection, writes: WriterThread) -> None:
        """Start the reader threads; on `:memory:`, reads go to `writes`, the thread that
        owns `writer`."""
        if str(self.path) == ":memory:":
            self._inline = (writer, writes)
            return
        # Plain threads on a queue rather than a ThreadPoolExecutor: a point read costs
        # about 0.1 ms, and the executor's futures and chaining cost a third of that again.
        # Daemons, so a read stuck past every deadline cannot hold up the process's exit.
        self._workers = [
            threading.Thread(target=self._serve, name=f"credgraph-sqlite-read-{n}", daemon=True)
            for n in range(self.threads)
        ]
        for worker in self._workers:
            worker.start()

    async def close(self) -> None:
        """Stop reads in flight, let the threads finish and close their connections."""
        workers, self._workers, self._inline = self._workers, [], None
        for watch in list(self._running):
            watch.stop(timed_out=False)
        for _ in workers:
            self._jobs.put(None)
        for worker in workers:
            await asyncio.to_thread(worker.join)

    async def run(self, read: Read[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """`read(conn, *args, **kwargs)` on a reader connection, within the deadline."""
        return await self.run_for(self.deadline_seconds, read, *args, **kwargs)

    async def run_for(
        self, seconds: float, read: Read[P, R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """`run` with a deadline of `seconds` instead of the pool's."""
        watch = _Watch(seconds, str(getattr(read, "__qualname__", "read")).lstrip("_"))
        if self._inline is not None:
            conn, writes = self._inline
            return await writes.run(
                functools.partial(self._read_inline, conn, watch, read, *args, **kwargs)
            )
        if not self._workers:
            raise StoreError(f"SQLite store {self.path} is not open")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._jobs.put((loop, future, lambda conn: read(conn, *args, **kwargs), watch))
        timer = loop.call_later(seconds, _expire, watch, future)
        self._running.add(watch)
        try:
            return await future
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if watch.timed_out and not watch.started and not (task and task.cancelling()):
                raise self._stopped(watch) from None  # dropped from the queue by _expire
            watch.stop(timed_out=False)
            raise
        finally:
            timer.cancel()
            self._running.discard(watch)

    # -- on a reader thread ----------------------------------------------------------------
    def _serve(self) -> None:
        """Do reads until handed None; the connection is opened by the first read."""
        conn: sqlite3.Connection | None = None
        try:
            while (job := self._jobs.get()) is not None:
                loop, future, call, watch = job
                result: Any = None
                error: BaseException | None = None
                try:
                    if conn is None:
                        conn = connect_reader(self.path, busy_timeout_ms=self._busy_timeout_ms)
                    result = self._read(conn, watch, call)
                except Exception as exc:  # the caller's to handle
                    error = exc
                with contextlib.suppress(RuntimeError):  # the caller's loop has closed
                    loop.call_soon_threadsafe(_settle, future, result, error)
        finally:
            if conn is not None:
                conn.close()

    def _read(self, conn: sqlite3.Connection, watch: _Watch, read: Read[[], R]) -> R:
        if not watch.attach(conn):
            raise self._stopped(watch)
        try:
            return self._in_snapshot(conn, watch, read)
        finally:
            watch.detach()
            _end_snapshot(conn)

    def _read_inline(
        self,
        conn: sqlite3.Connection,
        watch: _Watch,
        read: Read[P, R],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        def check() -> int:
            if watch.past_deadline():
                watch.timed_out = True
                return 1
            return 0

        conn.set_progress_handler(check, INLINE_PROGRESS_STEPS)
        try:
            return self._in_snapshot(conn, watch, read, *args, **kwargs)
        finally:
            conn.set_progress_handler(None, 0)
            _end_snapshot(conn)

    def _in_snapshot(
        self,
        conn: sqlite3.Connection,
        watch: _Watch,
        read: Read[P, R],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        try:
            conn.execute("BEGIN")
            return read(conn, *args, **kwargs)
        except sqlite3.OperationalError as exc:
            if watch.timed_out or watch.stopped:
                raise self._stopped(watch) from exc
            raise translate(exc, self.path) from exc
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    def _stopped(self, watch: _Watch) -> StoreError | QueryTimeout:
        if not watch.timed_out:
            return StoreError(f"SQLite store {self.path}: {watch.what} was abandoned by its caller")
        return QueryTimeout(
            f"{watch.what} did not finish within its deadline of {watch.seconds:g} s and was "
            "stopped; ask for less (fewer ids, a narrower filter, a smaller depth or page)",
            seconds=watch.seconds,
        )


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():  # cancelled: the caller has gone, or heard of its deadline already
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def _expire(watch: _Watch, future: asyncio.Future[R]) -> None:
    if not watch.stop(timed_out=True):
        # Still waiting for a thread: the caller hears now, not once a thread is free.
        future.cancel()


def _end_snapshot(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        # A read transaction has nothing to keep; should ending it fail, the next BEGIN on
        # this connection says so.
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
