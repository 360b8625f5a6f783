"""Deleting old crawl runs, keeping what the scheduler and `credgraph sources` still read."""

from __future__ import annotations

import sqlite3
from datetime import datetime

# A run goes when it is old, finished, and not its source's latest (by start time, then id,
# the order `crawl_runs` lists them in).
_DELETE_OLD_RUNS = """
DELETE FROM crawl_runs WHERE id IN (
    SELECT id FROM (
        SELECT id, status, started_at,
               row_number() OVER (PARTITION BY source_id ORDER BY started_at DESC, id DESC) AS n
        FROM crawl_runs
    ) WHERE n > 1 AND started_at < ? AND status <> 'RUNNING'
)
"""


def delete_crawl_runs(conn: sqlite3.Connection, started_before: datetime) -> int:
    # started_at is stored as datetime.isoformat() of an aware UTC time; the bound is written
    # the same way so the strings compare in time order.
    return conn.execute(_DELETE_OLD_RUNS, (started_before.isoformat(),)).rowcount
