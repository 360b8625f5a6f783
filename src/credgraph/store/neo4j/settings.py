"""Driver settings an operator may tune through the environment."""

from __future__ import annotations

import os

from credgraph.errors import StoreURLError

RETRY_VARIABLE = "CREDGRAPH_NEO4J_RETRY_SECONDS"
DEFAULT_RETRY_SECONDS = 30.0  # the driver's own default


def retry_seconds() -> float:
    """How long one write keeps retrying while the server is unreachable or busy.

    The driver's 30 s rides out a server restart; a scheduler that would rather fail the run
    and try again at its next slot sets a shorter time."""
    raw = os.environ.get(RETRY_VARIABLE)
    if raw is None or not raw.strip():
        return DEFAULT_RETRY_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise StoreURLError(f"{RETRY_VARIABLE}={raw!r}: give a number of seconds from 0 to 3600")
    return value
