"""Deleting old crawl runs, keeping each source's latest and every RUNNING one."""

from __future__ import annotations

from datetime import datetime

from neo4j import AsyncManagedTransaction

from credgraph.store.neo4j.common import utc_iso
from credgraph.store.neo4j.links import run

BATCH = 5000  # runs per transaction: a long-neglected history must not need one huge one

# The latest run of a source is the greatest (started_at, id), as `crawl_runs` orders them.
_DELETE_OLD_RUNS = """
MATCH (r:CrawlRun) WHERE r.started_at < $before AND r.status <> 'RUNNING'
  AND EXISTS {
    MATCH (newer:CrawlRun {source_id: r.source_id})
    WHERE newer.started_at > r.started_at OR (newer.started_at = r.started_at AND newer.id > r.id)
  }
WITH r LIMIT $batch
DETACH DELETE r
RETURN count(*) AS deleted
"""


async def delete_batch(tx: AsyncManagedTransaction, started_before: datetime) -> int:
    [record] = await run(tx, _DELETE_OLD_RUNS, before=utc_iso(started_before), batch=BATCH)
    return int(record["deleted"])
