"""Worker processes that parse a crawl's documents, under a deadline that really stops them.

A parser is pure CPU: run in the crawling process it would hold the event loop (lease
renewals, other sources' crawls, metrics) for as long as a page takes, and a thread running
a parse that never ends cannot be stopped. So every document, however small, is parsed in a
worker process (pebble's ProcessPool): the loop only waits, a parse still running at the
deadline (`CREDGRAPH_PARSE_SECONDS`, 30 s by default) has its worker killed and replaced,
and the document is a ParseError naming the deadline. The documents a page links to (an
Open Badges issuer given by URL) are decoded there too.

    async with ParseWorkers() as workers:      # no process yet: started on first use
        result = await workers.parse(document) # ParseError: broken, a parser bug, too slow
        issuer = await workers.decode(linked_document)

One `ParseWorkers` serves all the runs of a crawl (`crawl_sources`) or of the scheduler.
Workers start from a fork server that has imported the parsers once (nothing is forked from
the parent's threads, and a killed worker is back in milliseconds); a script that crawls
guards its entry point with `if __name__ == "__main__":`, as every start method but fork asks.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from pebble import ProcessExpired

from credgraph.config.env import deadline_from_env
from credgraph.formats import parser_for
from credgraph.formats.base import Document, ParseError, Parser, ParseResult
from credgraph.ingest.wire import packed
from credgraph.worker_processes import WorkerProcesses

PARSE_SECONDS_VARIABLE = "CREDGRAPH_PARSE_SECONDS"
# The fullest real catalog page parses in well under a second (bench/crawl_stages.py: about
# 0.1 ms per credential); 30 s is a page of hundreds of thousands of credentials, or a
# parser stuck on pathological input.
DEFAULT_PARSE_SECONDS = 30.0
MAX_PARSE_SECONDS = 3600.0
# A crawl parses one page at a time per source (the next while the current one is stored):
# two workers let two sources parse at once without taking every core of a small host.
WORKERS = 2
# The parsers, imported once by the fork server rather than by each worker it forks;
# "__main__" as multiprocessing's default has it.
_PRELOAD = ["__main__", "credgraph.formats", "credgraph.ingest.parse_workers"]
# A parser bug on odd input (a field of an unexpected type, a key missing, an empty list
# indexed) is the document's error, not the end of the run. Any exception, in a worker: one
# that crossed back to the crawl as itself would end the run, and one that cannot be
# unpickled there would break the pool every source shares.
_PARSER_BUGS = (Exception,)


class ParseTimedOut(ParseError):
    """A parse still running at the deadline, stopped (its worker killed)."""


def parse_seconds() -> float:
    """The deadline an operator set in CREDGRAPH_PARSE_SECONDS, else 30 s. A value that is not
    a number of seconds from above 0 to 3600 is a ConfigError naming the variable."""
    return deadline_from_env(PARSE_SECONDS_VARIABLE, DEFAULT_PARSE_SECONDS, high=MAX_PARSE_SECONDS)


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What a worker sends back: the value (a parse result packed by `ingest.wire`, which
    pickles records at half the cost), or why the document could not be read (a ParseError
    itself would not survive pickling), and the CPU seconds it spent."""

    value: Any
    reason: str | None
    cpu_seconds: float


class ParseWorkers:
    """A small pool of parse workers, started on first use; `aclose()` stops it (a finaliser
    does when it is dropped unclosed, so no worker outlives a crawl that failed)."""

    def __init__(
        self,
        seconds: float | None = None,
        workers: int = WORKERS,
        parser: Parser | None = None,
        *,
        limit: str = PARSE_SECONDS_VARIABLE,
    ) -> None:
        """`seconds`: the deadline of one parse, CREDGRAPH_PARSE_SECONDS (or 30 s) when None;
        `parser`: one parse function for every document instead of its format's (a
        module-level function, which the workers import by name: fault tests give one that
        never ends); `limit`: what the deadline is, as the error past it names it."""
        self.seconds = parse_seconds() if seconds is None else seconds
        self.workers = workers
        self.parser = parser
        self.limit = limit
        self.cpu_seconds = 0.0  # spent parsing in the workers (what a benchmark adds up)
        self._processes = WorkerProcesses(workers, _PRELOAD, _unguarded)

    @property
    def running(self) -> bool:
        """Whether worker processes are up (none before the first parse, none once closed)."""
        return self._processes.running

    async def __aenter__(self) -> ParseWorkers:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def start(self) -> None:
        """Start the workers now rather than on the first parse (the fork server imports the
        parsers: most of a second on a busy host)."""
        await self._processes.pool()

    async def parse(self, document: Document) -> ParseResult:
        """`document` parsed by its format's parser in a worker; ParseError naming the URL
        when it is broken, when the parser failed on it, or past the deadline."""
        result: ParseResult = await self._run(_parse, document, self.parser)
        return result

    async def decode(self, document: Document) -> Any:
        """`document.json()` in a worker: a linked document can be as large as a page."""
        return await self._run(_decode, document)

    async def _run(self, fn: Callable[..., _Outcome], document: Document, *more: Any) -> Any:
        # The pool never started, stopped or broken is started now. pebble counts the timeout
        # from the moment a worker takes the task (waiting behind another source's page is
        # not parsing), and kills the worker that overruns it.
        future = await self._processes.schedule(fn, (document, *more), self.seconds)
        try:
            outcome: _Outcome = await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if future.cancelled() and task is not None and not task.cancelling():
                # The pool was stopped under the parse (`aclose`), not this task cancelled:
                # the page's error, not a cancellation its caller never asked for.
                raise ParseError(
                    document.url, "the parse workers were stopped before it was parsed"
                ) from None
            future.cancel()  # pebble kills its worker
            raise
        except TimeoutError:
            raise ParseTimedOut(
                document.url,
                f"parsing took longer than {self.seconds:g} s ({self.limit}) and was stopped",
            ) from None
        except BrokenProcessPool:  # pebble's other way of ending a task the pool's stop cut
            raise ParseError(
                document.url, "the parse workers were stopped before it was parsed"
            ) from None
        except ProcessExpired as exc:  # killed from outside, out of memory...
            code = exc.exitcode
            how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
            raise ParseError(document.url, f"the parse worker died under it ({how})") from None
        self.cpu_seconds += outcome.cpu_seconds
        if outcome.reason is not None:
            raise ParseError(document.url, outcome.reason)
        return outcome.value

    async def aclose(self) -> None:
        """Stop the workers (a running parse is killed and becomes its page's error); the
        next parse starts new ones."""
        await self._processes.aclose()

    def close(self) -> None:
        """Stop the workers, blocking until they have exited."""
        self._processes.close()


def _unguarded(_error: BrokenProcessPool) -> RuntimeError:
    return RuntimeError(
        "the parse workers could not start: a script that crawls must guard its entry point "
        'with `if __name__ == "__main__":` (the fork server imports it)'
    )


def _parse(document: Document, parser: Parser | None) -> _Outcome:
    """Runs in the worker."""
    started = time.process_time()
    try:
        result = (parser or parser_for(document.format))(document)
    except ParseError as exc:
        return _Outcome(None, exc.reason, time.process_time() - started)
    except _PARSER_BUGS as exc:
        reason = f"could not parse: {type(exc).__name__}: {exc}"
        return _Outcome(None, reason, time.process_time() - started)
    # Timed before packing: the figure is the parse's, as pickling was never counted.
    spent = time.process_time() - started
    return _Outcome(packed(result), None, spent)


def _decode(document: Document) -> _Outcome:
    """Runs in the worker."""
    started = time.process_time()
    try:
        value = document.json()
    except ParseError as exc:
        return _Outcome(None, exc.reason, time.process_time() - started)
    return _Outcome(value, None, time.process_time() - started)


__all__ = [
    "DEFAULT_PARSE_SECONDS",
    "PARSE_SECONDS_VARIABLE",
    "ParseTimedOut",
    "ParseWorkers",
    "parse_seconds",
]
