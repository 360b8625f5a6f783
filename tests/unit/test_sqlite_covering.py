"""Filtered credential pages and their bounded counts read a covering index in SQLite: every
sort index carries the flat filter columns, and a store from before them is migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from credgraph.model import CredentialType
from credgraph.model.views import Projection
from credgraph.store import open_store
from credgraph.store.query import CredentialFilter, CredentialSort, SortField
from credgraph.store.sqlite import pages
from credgraph.store.sqlite.schema import _SORTS, SCHEMA_VERSION
from tests.contract.test_writes import load

FLAT = CredentialFilter(
    types=(CredentialType.BADGE, CredentialType.COURSE),
    max_cost=500.0,
    max_hours=100,
    min_transparency=0.1,
    exclude_stale=True,
)


@pytest.fixture
async def path(tmp_path: Path) -> Path:
    db = tmp_path / "g.db"
    async with open_store(f"sqlite:///{db}") as store:
        await load(store)
    return db


def statements(path: Path, f: CredentialFilter, sort: CredentialSort) -> list[str]:
    """The statements a counted page of `f` in `sort` order runs, values inlined."""
    conn = sqlite3.connect(path)
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    first = pages.list_credentials(conn, f, sort, 1, None, Projection(total_count=True))
    pages.list_credentials(conn, f, sort, 1, first.end_cursor, Projection(total_count=True))
    conn.set_trace_callback(None)
    plans = [
        " | ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        for sql in seen
        if sql.lstrip().upper().startswith("SELECT")
    ]
    conn.close()
    return plans


@pytest.mark.parametrize("field", list(SortField))
@pytest.mark.parametrize("descending", [False, True])
async def test_flat_filters_scan_and_count_on_a_covering_index(
    path: Path, field: SortField, descending: bool
) -> None:
    plans = statements(path, FLAT, CredentialSort(field, descending))
    steps = [s for p in plans for s in p.split(" | ") if s.startswith(("SCAN c", "SEARCH c "))]
    assert any("COVERING INDEX" in s for s in steps), plans
    for step in steps:
        # Only the page's own rows are fetched by rowid (for their columns); every scan that
        # tests the filter reads an index alone.
        assert "COVERING INDEX" in step or step.endswith("(rowid=?)"), plans


def revert_to_version_5(path: Path) -> None:
    """The sort indexes as they were before they covered the filters (schema version 5)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for name, column in _SORTS.items():
        conn.execute(f"DROP INDEX {name}")
        conn.execute(f"CREATE INDEX {name} ON credentials({column}, id)")
    for table in ("credentials", "issuers", "skills", "occupations"):  # version 8
        conn.execute(f"ALTER TABLE {table} DROP COLUMN fingerprint")
    conn.execute("PRAGMA user_version = 5")
    conn.close()


async def test_a_store_from_before_is_migrated_with_the_same_pages(path: Path) -> None:
    sort = CredentialSort(SortField.COST, descending=True)
    async with open_store(f"sqlite:///{path}") as store:
        before = await store.list_credentials(CredentialFilter(max_cost=1000.0), sort, first=10)
    revert_to_version_5(path)
    async with open_store(f"sqlite:///{path}") as store:
        after = await store.list_credentials(CredentialFilter(max_cost=1000.0), sort, first=10)
    assert [v.id for v in after.items] == [v.id for v in before.items] != []
    assert after.total_count == before.total_count
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    columns = [r[2] for r in conn.execute("PRAGMA index_info(credentials_cost)")]
    conn.close()
    assert columns[:2] == ["cost_amount", "id"] and "type" in columns and "stale" in columns
