"""The Neo4j driver's own log records, kept out of what users read.

The driver logs a transaction it will retry as a warning ("Transaction failed and will be
retried in 0.98s (... DeadlockDetected ...)", several lines long) and a routing table it could
not fetch as an error, then either succeeds on a later try or raises; the store turns what it
raises into credgraph's own one-line error (`StoreUnavailable`, `StoreError`). Left alone, those
records reached Python's last-resort handler, which prints warnings and errors unformatted on
stderr: amid a command's progress lines, in `serve`'s log outside its format. So every command
(the `credgraph` group), `serve` (`logging_config`) and the scheduler (`setup_logging`) let
through only the driver's records at `SHOWN_LEVEL`, through their own handlers.
"""

from __future__ import annotations

import logging
from typing import Any

DRIVER_LOGGER = "neo4j"
# Above every level the driver logs at (debug to error): its retries and the failures it then
# raises are not shown twice, in its words and in credgraph's.
SHOWN_LEVEL = logging.CRITICAL


def quiet_driver_logs() -> None:
    """For a command: the driver's records below `SHOWN_LEVEL` are dropped; the rest go where
    the process's other records go."""
    logging.getLogger(DRIVER_LOGGER).setLevel(SHOWN_LEVEL)


def driver_logger_config(handlers: list[str]) -> dict[str, Any]:
    """The driver's logger in a `logging.config.dictConfig` mapping: to `handlers`, as
    credgraph's own loggers, from `SHOWN_LEVEL` up."""
    return {
        "handlers": handlers,
        "level": logging.getLevelName(SHOWN_LEVEL),
        "propagate": False,
    }
