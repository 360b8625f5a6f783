"""The garbage collector set for a serving process.

A request builds and drops many short-lived objects (a page of 50 credentials is some ten
thousand), and CPython's default cyclic collector runs a young collection every 700
allocations, walking what survived from earlier ones: with 16 concurrent requests in flight
that was 5-15% of the server's CPU per request (`bench/peer_bench.py`'s query c, measured
interleaved). Serving processes therefore move what startup built (modules, the schema, the
app) out of the collector's view with `gc.freeze()` and collect the young generation every
50,000 allocations; reference counting still frees everything acyclic at once, so memory
holds steady. Only the serving entry points call this: a test process building many apps
keeps the defaults.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000


def tune_for_serving() -> None:
    """Freeze what exists now and space out young collections (see the module docstring)."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
