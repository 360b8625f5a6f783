"""Occupations by code prefix are found through the code index: the prefix test alone read
every occupation, twice with the page's count (6.7 ms a page at 10,000 occupations, and a
job match reads one for each occupation it is asked about)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from credgraph.model import Occupation
from credgraph.store import open_store
from credgraph.store.sqlite import listing


async def test_a_code_prefix_seeks_the_code_index(tmp_path: Path) -> None:
    path = tmp_path / "codes.db"
    async with open_store(f"sqlite:///{path}") as store:
        await store.upsert_occupations(
            [
                Occupation(f"onet:{code}", f"Occupation {code}", code, "O*NET-SOC")
                for code in ("15-2051.00", "15-2051.01", "15-1252.00", "11-1011.00", "15-2")
            ]
        )
    conn = sqlite3.connect(path)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    page = listing.list_occupations(conn, None, "15-2051", 25, None)
    conn.set_trace_callback(None)
    assert sorted(o.code or "" for o in page.items) == ["15-2051.00", "15-2051.01"]
    assert page.total_count == 2
    reads = [s for s in statements if "FROM occupations" in s]
    assert len(reads) == 2  # the count and the page
    for sql in reads:
        plan = " ".join(str(row[3]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert "occupations_code" in plan, plan
