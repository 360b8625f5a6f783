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
writer's connection, on the calling thread, with a progress handler keeping the deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from credgraph.errors import QueryTimeout, StoreError
from credgraph.store.sqlite.connection import connect_reader, translate

DEFAULT_READ_THREADS = 3  # reads at once; SQLite releases the GIL while it steps
DEFAULT_READ_DEADLINE_S = 10.0
INLINE_PROGRESS_STEPS = 10_000  # VM instructions between deadline checks, :memory: only

P = ParamSpec("P")
R = TypeVar("R")
Read = Callable[Concatenate[sqlite3.Connection, P], R]


class _Watch:
    """One read's deadline, and the connection to interrupt while the read is on it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
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
        self._executor: ThreadPoolExecutor | None = None
        self._inline: sqlite3.Connection | None = None
        self._connections: dict[int, sqlite3.Connection] = {}
        self._running: set[_Watch] = set()
        self._lock = threading.Lock()

    def start(self, writer: sqlite3.Connection) -> None:
        if str(self.path) == ":memory:":
            self._inline = writer
        else:
            self._executor = ThreadPoolExecutor(self.threads, "credgraph-sqlite-read")

    async def close(self) -> None:
        """Stop reads in flight, wait for the threads to end, close their connections."""
        executor, self._executor, self._inline = self._executor, None, None
        for watch in list(self._running):
            watch.stop(timed_out=False)
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, True, cancel_futures=True)
        with self._lock:
            connections, self._connections = list(self._connections.values()), {}
        for conn in connections:
            conn.close()

    async def run(self, read: Read[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """`read(conn, *args, **kwargs)` on a reader connection, within the deadline."""
        return await self.run_for(self.deadline_seconds, read, *args, **kwargs)

    async def run_for(
        self, seconds: float, read: Read[P, R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """`run` with a deadline of `seconds` instead of the pool's."""
        watch = _Watch(seconds)
        if self._inline is not None:
            return self._read_inline(self._inline, watch, read, *args, **kwargs)
        if self._executor is None:
            raise StoreError(f"SQLite store {self.path} is not open")
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(
            self._executor, lambda: self._read(watch, read, *args, **kwargs)
        )
        timer = loop.call_later(seconds, _expire, watch, future)
        self._running.add(watch)
        try:
            return await future
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if watch.timed_out and not watch.started and not (task and task.cancelling()):
                raise self._stopped(read, watch) from None  # dropped from the queue by _expire
            watch.stop(timed_out=False)
            raise
        finally:
            timer.cancel()
            self._running.discard(watch)

    # -- on a reader thread ----------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        key = threading.get_ident()
        with self._lock:
            conn = self._connections.get(key)
        if conn is None:
            conn = connect_reader(self.path, busy_timeout_ms=self._busy_timeout_ms)
            with self._lock:
                self._connections[key] = conn
        return conn

    def _read(self, watch: _Watch, read: Read[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        conn = self._connection()
        if not watch.attach(conn):
            raise self._stopped(read, watch)
        try:
            return self._in_snapshot(conn, watch, read, *args, **kwargs)
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
                raise self._stopped(read, watch) from exc
            raise translate(exc, self.path) from exc
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    def _stopped(self, read: Read[P, R], watch: _Watch) -> StoreError | QueryTimeout:
        name = getattr(read, "__name__", "read")
        if not watch.timed_out:
            return StoreError(f"SQLite store {self.path}: {name} was abandoned by its caller")
        return QueryTimeout(
            f"{name} did not finish within its deadline of {watch.seconds:g} s and was "
            "stopped; ask for less (fewer ids, a narrower filter, a smaller depth or page)",
            seconds=watch.seconds,
        )


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
