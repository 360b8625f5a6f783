"""The cyclic garbage collector: set for a serving process, paused while an index is built.

A request builds and drops many short-lived objects (a page of 50 credentials is some ten
thousand), and CPython's default cyclic collector runs a young collection every 700
allocations, walking what survived from earlier ones: with 16 concurrent requests in flight
that was 5-15% of the server's CPU per request (`bench/peer_bench.py`'s query c, measured
interleaved). Serving processes therefore move what startup built (modules, the schema, the
app) out of the collector's view with `gc.freeze()` and collect the young generation every
50,000 allocations; reference counting still frees everything acyclic at once, so memory
holds steady. Only the serving entry points call `tune_for_serving`: a test process building
many apps keeps the defaults.

Indexes a process builds later and keeps (the resolver's name index over every credential) are
not frozen: `gc.freeze()` sets aside everything alive at that moment, the cyclic garbage of
requests in flight included, which no collection would ever free again. An index kept for
long is built instead of few containers, most of them ones the collector does not track
(buffers, arrays, dicts of ints: `credgraph.resolving.packed`).

While such a build runs (the name index over a million credentials, matchJob's vocabulary of
200,000 skills), what it reads and makes is millions of containers, nearly all of which live
on; every collection walks the generations it collects in one C call holding the GIL, and
the event loop, which needs the GIL, waits as long. At 1M credentials a full collection took
0.4-1.1 s (a dozen a build with the default thresholds), and with a serving process's young
threshold a collection of the middle generation (up to eleven young generations of 50,000)
0.15-0.4 s. Builders therefore keep the collector to small young collections (`young_only`)
rather than pausing it: the garbage of the requests the loop serves meanwhile mostly dies
young and is still collected; what survives to the oldest generation waits for the build
to end.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

YOUNG_THRESHOLD = 50_000

_lock = threading.Lock()
_pausing = 0  # builders running with the collector paused, in any thread
_was_enabled = True  # whether the collector ran before the first of them paused it
_sparing = 0  # builders running with young collections only, in any thread
_thresholds = gc.get_threshold()  # the collector's thresholds before the first of them
_oldest_count = 0  # the oldest generation's count when the first of them began
_configured_oldest: int | None = None  # the oldest's threshold to set back after a raised one
# While a build runs: a young collection walks at most this many objects, the middle one at
# most twice as many (collected after every other young one), some 5-20 ms; the oldest is never
# collected (its count goes up by one per collection of the middle one).
BUILD_YOUNG_THRESHOLD = 10_000
NEVER = 2**31 - 1
# Builds can follow each other for as long as writes keep coming (a crawl moving the graph's
# version) and overlap (the vocabulary's and the names'): the cyclic garbage that reached the
# oldest generation would then never be freed. Once this long has passed since the last full
# collection, a collection of the middle one during a build lets the next full one run. Longer
# than one build at a million credentials (the name index on Neo4j: some 240 s here), which
# a full collection would otherwise hold for 0.7 s: 120 s did, once in every such build.
MAX_SPARING_SECONDS = 600.0
_last_full = time.monotonic()  # when the oldest generation was last collected
_full_meanwhile = False  # a full collection ran while builds held it back


def tune_for_serving() -> None:
    """Freeze what exists now and space out young collections (see the module docstring)."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic collector off meanwhile, process-wide; builders in several threads nest (the
    last to finish turns it back on, if it was on). For code that allocates many containers
    and no cycles: a collection would only walk them. Other threads' cyclic garbage waits for
    the next collection. Code calling `gc.disable()` or `gc.enable()` itself while a build
    runs would be undone by it: none does."""
    global _pausing, _was_enabled
    with _lock:
        if _pausing == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _lock:
            _pausing -= 1
            if _pausing == 0 and _was_enabled:
                gc.enable()


@contextmanager
def young_only() -> Iterator[None]:
    """Small young collections only meanwhile, process-wide: no collection walks more than a
    few tens of thousands of objects, none what a build holds (see the module docstring).
    Builders in several threads nest, the last to finish restores the thresholds as they were
    before the first; it may be held across awaits, as the young garbage of other tasks is
    still collected. Thresholds set by other code while a build runs (`tune_for_serving`)
    would be undone by it: none does.

    The middle collections a build causes do not count towards the next full collection:
    counted, one would be due the moment the build ends, walking everything the process
    keeps (at 1M credentials 0.5 s, on the event loop's time). The oldest generation's
    threshold is raised by as many until that next full collection, then set back."""
    global _sparing, _thresholds, _oldest_count, _configured_oldest, _full_meanwhile
    with _lock:
        if _sparing == 0:
            _thresholds = gc.get_threshold()
            _oldest_count = gc.get_count()[2]
            if _configured_oldest is None:
                _configured_oldest = _thresholds[2]
            _full_meanwhile = False
            young = min(_thresholds[0], BUILD_YOUNG_THRESHOLD)  # 0 (never) stays 0
            gc.set_threshold(young, 1, NEVER)
            if _set_back not in gc.callbacks:
                gc.callbacks.append(_set_back)
        _sparing += 1
    try:
        yield
    finally:
        with _lock:
            _sparing -= 1
            if _sparing == 0:
                young, middle, oldest = _thresholds
                if _full_meanwhile:
                    # The oldest was collected during the builds: nothing is owed to it, and
                    # a threshold raised by earlier builds goes back to the configured one.
                    oldest = _configured_oldest if _configured_oldest is not None else oldest
                    caused = 0
                else:
                    caused = max(gc.get_count()[2] - _oldest_count, 0)
                gc.set_threshold(young, middle, oldest + caused)
                if oldest + caused == _configured_oldest:
                    _configured_oldest = None


def _set_back(phase: str, info: dict[str, Any]) -> None:
    """After a full collection, the oldest generation's threshold as it was before builds
    raised it (`young_only`); during a build, `MAX_SPARING_SECONDS` after the last full
    collection, a full collection let run after the next collection of the middle one."""
    global _configured_oldest, _last_full, _full_meanwhile
    if phase != "stop" or info["generation"] == 0:
        return
    # A collection may run in the thread holding the lock (at any allocation): then this
    # waits for the next one.
    if not _lock.acquire(blocking=False):
        return
    try:
        young, middle, oldest = gc.get_threshold()
        if info["generation"] == 2:
            _last_full = time.monotonic()
            if _sparing:
                _full_meanwhile = True
                gc.set_threshold(young, middle, NEVER)  # held back again, for as long
            elif _configured_oldest is not None:
                gc.set_threshold(young, middle, _configured_oldest)
                _configured_oldest = None
        elif _sparing and oldest == NEVER and time.monotonic() - _last_full > MAX_SPARING_SECONDS:
            gc.set_threshold(young, middle, 1)  # the next middle collection is a full one
    finally:
        _lock.release()


# Registered at once: every full collection of the process's life marks `_last_full`.
gc.callbacks.append(_set_back)


def emptied(rows: list[Any], at_once: int = 1_000) -> None:
    """Free a large list's items a slice at a time: dropped in one go, a million records are
    freed in one C call holding the GIL (0.8 s for a million driver records), which the event
    loop sharing the process waits on; freed a slice at a time, other threads run between."""
    while rows:
        del rows[-at_once:]
