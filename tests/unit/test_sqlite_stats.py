"""The graph's counts on SQLite: kept per graph version, the rows of each table kept by the
store itself (`test_sqlite_graph_counts.py`), the crawl ledger counted each time, and the
edges that may lack an end and the stale credentials read through their partial indexes
(schema step 11), never a scan of every edge."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from credgraph.model import Credential, Skill, SkillLink, Source
from credgraph.model.crawl import CrawlRun
from credgraph.model.values import CrawlStatus
from credgraph.store import open_store
from credgraph.store.sqlite import graph_counts, reads
from credgraph.store.sqlite.store import SQLiteStore


def credentials(n: int) -> list[Credential]:
    return [
        Credential(f"https://c.example/{i}", f"C {i}", skills=(SkillLink(Skill(f"s{i}", "S")),))
        for i in range(n)
    ]


async def test_counts_are_kept_until_the_graph_is_written(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    async with open_store(f"sqlite:///{path}") as store:
        await store.upsert_credentials(credentials(3))
        conn = sqlite3.connect(path, isolation_level=None)
        kept = reads.KeptCounts()
        counts: list[str] = []
        conn.set_trace_callback(lambda sql: counts.append(sql) if "count(*)" in sql else None)
        first = reads.stats(conn, kept)
        read_once = len(counts)
        assert reads.stats(conn, kept) == first
        # the second answered from the counts kept, bar the crawl ledger's two
        assert len(counts) == read_once + 2
        assert (first.credentials, first.relationships, first.crawl_runs) == (3, 3, 0)

        await store.upsert_sources([Source("src", "openbadges", ("https://c.example/",))])
        at = datetime(2026, 12, 6, tzinfo=UTC)
        await store.record_crawl_run(CrawlRun("run-1", "src", CrawlStatus.SUCCEEDED, at, at))
        ledger = reads.stats(conn, kept)  # the ledger moves no graph version, yet is counted
        assert (ledger.sources, ledger.crawl_runs) == (1, 1)
        assert len(counts) == read_once + 4

        await store.upsert_credentials(credentials(5))
        after = reads.stats(conn, kept)
        assert (after.credentials, after.relationships) == (5, 5)
        assert len(counts) == 2 * read_once + 4  # counted again: a new graph version
        assert after == reads.stats(conn)  # as a store's first read counts
        conn.close()


async def test_the_counts_read_partial_indexes_not_every_edge(tmp_path: Path) -> None:
    async with open_store(f"sqlite:///{tmp_path / 'g.db'}") as store:
        await store.upsert_credentials(credentials(2))
    conn = sqlite3.connect(tmp_path / "g.db")
    plans: list[str] = []
    for sql in (*graph_counts.DANGLING_COUNTS, reads.STALE_COUNT):
        plans += [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    conn.close()
    scans = [p for p in plans if p.startswith("SCAN")]
    assert scans == [], plans
    assert sum("edges_maybe_dangling" in p for p in plans) == 3
    assert any("credentials_stale" in p for p in plans)


async def test_a_bulk_load_moves_the_counts_kept(tmp_path: Path) -> None:
    async with open_store(f"sqlite:///{tmp_path / 'g.db'}") as store:
        assert isinstance(store, SQLiteStore)
        async with store.bulk_load():
            await store.upsert_credentials(credentials(4))
            during = await store.stats()  # the links are staged: not in the graph yet
        after = await store.stats()
    assert during.relationships == 0
    assert (after.credentials, after.relationships) == (4, 4)
