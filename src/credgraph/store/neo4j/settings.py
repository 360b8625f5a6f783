"""Driver settings an operator may tune through the environment."""

from __future__ import annotations

from credgraph.config.env import seconds_from_env
from credgraph.errors import StoreURLError

RETRY_VARIABLE = "CREDGRAPH_NEO4J_RETRY_SECONDS"
DEFAULT_RETRY_SECONDS = 30.0  # the driver's own default


def retry_seconds() -> float:
    """How long one write keeps retrying while the server is unreachable or busy.

    The driver's 30 s rides out a server restart; a scheduler that would rather fail the run
    and try again at its next slot sets a shorter time."""
    try:
        return seconds_from_env(
            RETRY_VARIABLE, DEFAULT_RETRY_SECONDS, low=0, high=3600, open_low=False
        )
    except ValueError as exc:
        raise StoreURLError(str(exc)) from None
