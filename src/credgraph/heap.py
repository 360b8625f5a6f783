"""Memory an index build freed, given back to the system.

The resolver's name index and matchJob's vocabulary are built in worker threads from every
credential's name or every skill's labels, read a page at a time and freed once the index is
made. Python hands blocks over 512 bytes (lists of rows, dict tables, buffers) to the C
allocator, and glibc's keeps the pages of freed blocks in its arenas (one per thread that
allocated, up to eight per core) for later allocations, returning to the system only the free
top of each and the blocks it mapped apart (the largest): the process stays about as large as
the build made it. `malloc_trim(0)` gives back every whole free page of every arena (the
pages stay mapped and are faulted in again when used). Measured on the 1M graph, one serving
process after both builds: 840-843 → 807-809 MiB on SQLite (docs/benchmark-log.md,
"memory the builds left free").

Only glibc has `malloc_trim`; elsewhere (musl, macOS) nothing is done. It is a C call that
does not hold the GIL (ctypes releases it), made in the builder's thread.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        process = ctypes.CDLL(None)  # the symbols the process has loaded, libc's among them
    except OSError:
        return None
    trim = getattr(process, "malloc_trim", None)
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


_trim = _malloc_trim()


def can_give_back() -> bool:
    """Whether this process's allocator can give freed pages back (glibc)."""
    return _trim is not None


def give_back() -> bool:
    """Return the allocator's whole free pages to the system; whether any were."""
    if _trim is None:
        return False
    return bool(_trim(0))
