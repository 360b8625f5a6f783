"""A page filtered by type counts its matches on `credentials_type` while its rows are still
read from the sort's own index, or for one type in name order from `credentials_type_name`;
a store from before the indexes is migrated to them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from credgraph.model import CredentialType
from credgraph.model.records import Credential
from credgraph.model.values import Money
from credgraph.model.views import Projection
from credgraph.store import open_store
from credgraph.store.query import CredentialFilter, CredentialSort, SortField
from credgraph.store.sqlite import pages
from credgraph.store.sqlite.schema import MIGRATIONS, SCHEMA_VERSION
from credgraph.store.sqlite.type_index import CREDENTIALS_TYPE_INDEXES
from tests.contract.test_writes import load

BY_TYPE = CredentialFilter(types=(CredentialType.BADGE, CredentialType.COURSE), max_cost=500.0)


@pytest.fixture
async def path(tmp_path: Path) -> Path:
    db = tmp_path / "g.db"
    async with open_store(f"sqlite:///{db}") as store:
        await load(store)
    return db


def plans(path: Path, f: CredentialFilter, sort: CredentialSort) -> dict[str, str]:
    """The query plan of the count and of the page scan of a counted page, by kind."""
    conn = sqlite3.connect(path)
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    pages.list_credentials(conn, f, sort, 1, None, Projection(total_count=True))
    conn.set_trace_callback(None)
    out = {}
    for sql in seen:
        plan = " | ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        out["count" if sql.lstrip().startswith("SELECT count(*)") else "page"] = plan
    conn.close()
    return out


@pytest.mark.parametrize("field", [SortField.NAME, SortField.COST, SortField.LAST_SEEN])
async def test_the_count_reads_the_type_index_and_the_page_its_sort_index(
    path: Path, field: SortField
) -> None:
    found = plans(path, BY_TYPE, CredentialSort(field))
    assert "COVERING INDEX credentials_type (type=? AND cost_amount<?)" in found["count"], found
    assert "credentials_type" not in found["page"], found
    sort_index = pages.SORT_COLUMNS[field].removeprefix("c.")
    conn = sqlite3.connect(path)
    indexes = {
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        if [r[2] for r in conn.execute(f"PRAGMA index_info({name})")][:1] == [sort_index]
    }
    conn.close()
    assert any(f"COVERING INDEX {name}" in found["page"] for name in indexes), found


async def test_the_type_index_counts_what_a_scan_of_the_rows_counts(path: Path) -> None:
    async with open_store(f"sqlite:///{path}") as store:
        page = await store.list_credentials(BY_TYPE, first=100)
        everything = await store.list_credentials(first=100)
    expected = [
        v.id
        for v in everything.items
        if v.credential.type in BY_TYPE.types
        and v.credential.cost is not None
        and v.credential.cost.amount <= 500.0
    ]
    assert page.total_count == len(expected) > 0
    assert [v.id for v in page.items] == expected


async def test_a_store_from_before_the_index_is_migrated(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP INDEX credentials_type")
    conn.execute("DROP INDEX credentials_type_name")
    conn.execute(f"PRAGMA user_version = {MIGRATIONS.index(CREDENTIALS_TYPE_INDEXES)}")
    conn.close()
    async with open_store(f"sqlite:///{path}") as store:
        page = await store.list_credentials(BY_TYPE, first=5)
    assert page.items
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    columns = [r[2] for r in conn.execute("PRAGMA index_info(credentials_type)")]
    by_name = [r[2] for r in conn.execute("PRAGMA index_info(credentials_type_name)")]
    conn.close()
    assert columns[:2] == ["type", "cost_amount"]
    assert by_name[:3] == ["type", "name_key", "id"] and "cost_amount" in by_name


ONE_TYPE = CredentialFilter(types=(CredentialType.BADGE,), max_cost=500.0)


def test_one_type_in_name_order_seeks_its_type_in_the_type_name_index(path: Path) -> None:
    for f in (ONE_TYPE, CredentialFilter(types=(CredentialType.COURSE,) * 2)):
        found = plans(path, f, CredentialSort(SortField.NAME))
        assert "COVERING INDEX credentials_type_name (type=?)" in found["page"], found
    # Not for two types, another sort, or a condition the index does not hold.
    for f, sort in (
        (BY_TYPE, CredentialSort(SortField.NAME)),
        (ONE_TYPE, CredentialSort(SortField.COST)),
        (CredentialFilter(types=(CredentialType.BADGE,), issuer="x"), CredentialSort()),
    ):
        assert "credentials_type_name" not in plans(path, f, sort)["page"]


def synthetic(n: int) -> list[Credential]:
    """Names out of step with types and costs, some names shared (the id breaks the tie)."""
    types = [CredentialType.BADGE, CredentialType.COURSE, CredentialType.CERTIFICATE]
    return [
        Credential(
            id=f"https://example.org/credentials/{i:03d}",
            name=f"Credential {(i * 7) % 23}",
            type=types[i % 3],
            cost=None if i % 5 == 0 else Money(float((i * 37) % 900), "EUR"),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("descending", [False, True])
async def test_pages_of_one_type_in_name_order_resume_where_they_stopped(
    tmp_path: Path, descending: bool
) -> None:
    records = synthetic(90)
    async with open_store(f"sqlite:///{tmp_path / 'g.db'}") as store:
        await store.upsert_credentials(records)
        sort = CredentialSort(SortField.NAME, descending)
        everything = await store.list_credentials(None, sort, first=100)
        expected = [
            v.id
            for v in everything.items
            if v.credential.type is CredentialType.BADGE
            and v.credential.cost is not None
            and v.credential.cost.amount <= 500.0
        ]
        seen: list[str] = []
        after = None
        while True:
            page = await store.list_credentials(ONE_TYPE, sort, first=4, after=after)
            seen += [v.id for v in page.items]
            assert page.total_count == len(expected)
            if not page.has_next_page:
                break
            after = page.end_cursor
    assert seen == expected and len(expected) > 8
