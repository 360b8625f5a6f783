"""How long one download (a taxonomy release) may take in all.

httpx's timeout is per read: a server that sends a byte now and then never trips it, and a
release may be up to `max_archive_bytes` (1 GB) long, so without an overall deadline such a
server holds an import until the size cap, at one byte a second for decades.
"""

from __future__ import annotations

from credgraph.config.env import deadline_from_env

DEADLINE_VARIABLE = "CREDGRAPH_DOWNLOAD_DEADLINE_SECONDS"
# Half an hour: the 1 GB cap at about 600 kB/s, and ESCO's and O*NET's releases (tens to a
# few hundred MB) many times over on any working link.
DEFAULT_DEADLINE_SECONDS = 1800.0
MAX_DEADLINE_SECONDS = 86400.0


def download_deadline_seconds() -> float:
    """The deadline an operator set in CREDGRAPH_DOWNLOAD_DEADLINE_SECONDS, else 1800 s.
    `CREDGRAPH_DOWNLOAD_DEADLINE_SECONDS=7200 credgraph crawl` gives a slow mirror two hours;
    a value that is not a number of seconds from above 0 to 86400 is a ConfigError."""
    return deadline_from_env(DEADLINE_VARIABLE, DEFAULT_DEADLINE_SECONDS, high=MAX_DEADLINE_SECONDS)
