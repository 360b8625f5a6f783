"""Crawl bookkeeping as transaction functions: sources, crawl runs, document states, and
staleness of credentials a full run of their source did not see."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import AsyncManagedTransaction

from credgraph.model import codec
from credgraph.model.crawl import CrawlRun, DocumentState, Source
from credgraph.model.values import CrawlStatus, NodeKind
from credgraph.model.views import StaleReport
from credgraph.store.neo4j.common import DOCUMENT, utc_iso
from credgraph.store.neo4j.links import run, unwind
from credgraph.store.neo4j.writes import Counts, merge_node, stored_hashes


async def upsert_sources(tx: AsyncManagedTransaction, records: list[Source]) -> Counts:
    rows = {
        s.id: {
            "id": s.id,
            "format": s.format,
            "content_hash": codec.content_hash(s),
            "doc": codec.dumps(s),
        }
        for s in records
    }
    stored = await stored_hashes(tx, NodeKind.SOURCE, list(rows))
    write = [row for sid, row in rows.items() if stored.get(sid, (None,))[0] != row["content_hash"]]
    await unwind(tx, merge_node(NodeKind.SOURCE), write)
    created = sum(1 for sid in rows if sid not in stored)
    return created, len(write) - created, len(rows) - len(write)


async def record_crawl_run(tx: AsyncManagedTransaction, run_: CrawlRun) -> None:
    """Create the run, or replace its record while that says RUNNING: an ended run's record
    is final (a holder that lost its lease must not overwrite what the next holder wrote)."""
    row = {
        "id": run_.id,
        "source_id": run_.source_id,
        "status": run_.status.value,
        "started_at": utc_iso(run_.started_at),
        "doc": codec.dumps(run_),
    }
    await run(
        tx,
        "MERGE (r:CrawlRun {id: $row.id}) "
        "WITH r WHERE coalesce(r.status, $running) = $running SET r = $row",
        row=row,
        running=CrawlStatus.RUNNING.value,
    )


async def save_document_states(
    tx: AsyncManagedTransaction, states: Sequence[DocumentState]
) -> None:
    """Insert or replace by (source_id, url); the last state given for a document wins."""
    rows = {
        (d.source_id, d.url): {"s": d.source_id, "u": d.url, "doc": codec.dumps(d)} for d in states
    }
    await unwind(
        tx,
        f"UNWIND $rows AS row MERGE (d:{DOCUMENT} {{source_id: row.s, url: row.u}}) "
        "SET d.doc = row.doc",
        list(rows.values()),
    )


async def mark_missed(
    tx: AsyncManagedTransaction, source_id: str, seen: set[str], threshold: int, now: str
) -> StaleReport:
    """Count a miss for the source's credentials not seen; a seen one with misses is fresh
    again (revived) and seen now. Only rows whose state changes are written; the source
    records when its last full run ended (a view's `last_seen` takes it into account)."""
    [record] = await run(
        tx,
        "MATCH (c:Credential) WHERE $source IN c.source_ids "
        "RETURN collect([c.id, coalesce(c.miss_count, 0), coalesce(c.stale, false)]) AS found",
        source=source_id,
    )
    missed = newly_stale = revived = 0
    updates: list[dict[str, Any]] = []
    for cid, was_missed, was_stale in record["found"]:
        if cid in seen:
            if was_missed:
                revived += 1
                updates.append({"id": cid, "misses": 0, "stale": False, "seen": now})
            continue
        missed += 1
        misses = was_missed + 1
        stale = was_stale or misses >= threshold
        newly_stale += stale and not was_stale
        updates.append({"id": cid, "misses": misses, "stale": stale, "seen": None})
    await unwind(
        tx,
        "UNWIND $rows AS row MATCH (c:Credential {id: row.id}) "
        "SET c.miss_count = row.misses, c.stale = row.stale, "
        "c.last_seen = coalesce(row.seen, c.last_seen)",
        updates,
    )
    await run(tx, "MATCH (s:Source {id: $id}) SET s.last_full_run = $now", id=source_id, now=now)
    return StaleReport(missed, newly_stale, revived)
