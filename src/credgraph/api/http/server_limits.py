"""How much of a request head, and how long, one HTTP connection may hold before the app sees
a request (enforced by credgraph.api.http.server_protocol).

    limits = limits_from_env()     # CREDGRAPH_MAX_HEADER_BYTES, CREDGRAPH_*_TIMEOUT_SECONDS

The defaults sit where common front servers put theirs (nginx: heads up to 32 KiB, a 60 s
header timeout); this API's own requests have small heads, so 16 KiB leaves room for cookies
and long GET query strings, and 10 s for a head that normally arrives in one packet.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from credgraph.config.env import seconds_from_env
from credgraph.errors import ConfigError

MAX_HEAD_BYTES = 16 * 1024
HEAD_TIMEOUT_SECONDS = 10.0
BODY_TIMEOUT_SECONDS = 30.0

MAX_HEAD_BYTES_VARIABLE = "CREDGRAPH_MAX_HEADER_BYTES"
HEAD_TIMEOUT_VARIABLE = "CREDGRAPH_HEADER_TIMEOUT_SECONDS"
BODY_TIMEOUT_VARIABLE = "CREDGRAPH_BODY_TIMEOUT_SECONDS"

# A head must hold a request line and a Host header; past 1 MiB a head is an attack, not a
# request, whatever the operator's intent.
HEAD_BYTES_RANGE = (1024, 1024 * 1024)
MAX_TIMEOUT_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """Per connection: the request line and headers together may take `max_head_bytes`; they
    must arrive within `head_timeout` seconds of the connection opening or of the previous
    response; a declared body must arrive within `body_timeout` seconds of its head."""

    max_head_bytes: int = MAX_HEAD_BYTES
    head_timeout: float = HEAD_TIMEOUT_SECONDS
    body_timeout: float = BODY_TIMEOUT_SECONDS


def limits_from_env() -> HttpLimits:
    """The limits an operator set through the environment, the defaults for those unset.

    Raises ConfigError naming each variable that is not a number within its range."""
    problems: list[str] = []
    head_bytes = MAX_HEAD_BYTES
    try:
        head_bytes = _bytes_from_env(MAX_HEAD_BYTES_VARIABLE, MAX_HEAD_BYTES)
    except ValueError as exc:
        problems.append(str(exc))
    timeouts: list[float] = []
    for variable, default in (
        (HEAD_TIMEOUT_VARIABLE, HEAD_TIMEOUT_SECONDS),
        (BODY_TIMEOUT_VARIABLE, BODY_TIMEOUT_SECONDS),
    ):
        try:
            timeouts.append(
                seconds_from_env(variable, default, low=0, high=MAX_TIMEOUT_SECONDS, open_low=True)
            )
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise ConfigError(problems)
    return HttpLimits(head_bytes, *timeouts)


def _bytes_from_env(variable: str, default: int) -> int:
    raw = os.environ.get(variable)
    if raw is None or not raw.strip():
        return default
    low, high = HEAD_BYTES_RANGE
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not low <= value <= high:
        raise ValueError(f"{variable}={raw!r}: give a whole number of bytes from {low} to {high}")
    return value
