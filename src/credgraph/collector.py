"""The cyclic garbage collector, set for a serving process and for building long-lived indexes.

A request builds and drops many short-lived objects (a page of 50 credentials is some ten
thousand), and CPython's default cyclic collector runs a young collection every 700
allocations, walking what survived from earlier ones: with 16 concurrent requests in flight
that was 5-15% of the server's CPU per request (`bench/peer_bench.py`'s query c, measured
interleaved). Serving processes therefore move what startup built (modules, the schema, the
app) out of the collector's view with `gc.freeze()` and collect the young generation every
50,000 allocations; reference counting still frees everything acyclic at once, so memory
holds steady. Only the serving entry points call `tune_for_serving`: a test process building
many apps keeps the defaults.

What a serving process builds later and keeps (the name index over every credential, the
vocabulary of every skill label, the linker verification uses) is no different: the name
index of 1M credentials is six million tracked objects, and every full collection walked
them all, holding the GIL, and so the event loop, for 1.4 s (`bench/collector_pauses.py`).
`building_long_lived` pauses the collector while such an index is built (a full collection
every time the heap grew by a quarter would walk it over and over) and, in a serving
process, freezes it once built. The indexes hold no reference cycles: when a newer version
replaces one, reference counting frees it, frozen or not (tested).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 50_000

_lock = threading.Lock()
_pausing = 0  # builders running with the collector paused, in any thread
_was_enabled = True  # whether the collector ran before the first of them paused it
_serving = False  # `tune_for_serving` ran: long-lived indexes are frozen once built


def tune_for_serving() -> None:
    """Freeze what exists now and space out young collections (see the module docstring)."""
    global _serving
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
    _serving = True


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic collector off meanwhile, process-wide; builders in several threads nest (the
    last to finish turns it back on, if it was on). For code that allocates many containers
    and no cycles: a collection would only walk them. Other threads' cyclic garbage waits for
    the next collection."""
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
def building_long_lived() -> Iterator[None]:
    """`paused` while a long-lived index is built; in a serving process, everything alive is
    frozen once it is (the index, and the caller's objects of the moment: reference counting
    frees those as ever)."""
    with paused():
        yield
        if _serving:
            gc.freeze()
