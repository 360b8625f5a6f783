"""The two stores store-facing tests run against: `STORES` to parametrize a fixture with, and
`empty_store` to open the one a test asked for, empty (Neo4j wiped, SQLite a new file).

The contract suite also runs on `CONTRACT_STORES`: the same test server reached through a
routing `neo4j://` URI (a routing table of one), as a cluster is reached in production.
Only the contract suite (and verify's ingest-then-read) takes that third pass, to keep CI's
time in bounds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from credgraph.errors import StoreUnavailable
from credgraph.model.views import CredentialChange
from credgraph.store import GraphStore, open_store
from tests.sqlite_template import new_sqlite_store

STORES: list[Any] = ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)]
CONTRACT_STORES: list[Any] = [*STORES, pytest.param("neo4j-routing", marks=pytest.mark.neo4j)]


def routing_url(url: str) -> str:
    """The routing form of a direct Bolt URL: bolt:// -> neo4j://, bolt+s:// -> neo4j+s://."""
    scheme, rest = url.split("://", 1)
    return f"{scheme.replace('bolt', 'neo4j', 1)}://{rest}"


async def wipe_neo4j(url: str) -> None:
    from neo4j import AsyncGraphDatabase

    async with AsyncGraphDatabase.driver(url, auth=None) as driver, driver.session() as session:
        # In batches: a database left full by a benchmark must not need one huge transaction.
        result = await session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        )
        await result.consume()


async def empty_store_url(request: pytest.FixtureRequest, tmp_path: Path, name: str) -> str:
    if request.param == "sqlite":
        return await new_sqlite_store(tmp_path / name)
    url: str = request.getfixturevalue("neo4j_url")
    await wipe_neo4j(url)
    return routing_url(url) if request.param == "neo4j-routing" else url


@asynccontextmanager
async def empty_store(
    request: pytest.FixtureRequest, tmp_path: Path, name: str = "graph.db"
) -> AsyncIterator[GraphStore]:
    """The store `request.param` names ("sqlite", "neo4j" or "neo4j-routing"), opened and
    empty."""
    async with open_store(await empty_store_url(request, tmp_path, name)) as opened:
        yield opened


async def unlabelled_equivalence_ends(store: GraphStore) -> int:
    """On Neo4j, the nodes at a SAME_AS relationship without the `Equated` label (which
    comparisons need to see the equivalence); 0 on other stores or once the store is closed."""
    from credgraph.store.neo4j import Neo4jStore
    from credgraph.store.neo4j.equated import UNMARKED

    if not isinstance(store, Neo4jStore):
        return 0
    try:
        driver = store._open_driver()
    except StoreUnavailable:  # the test closed it
        return 0
    result = await driver.execute_query(UNMARKED, database_=store.target.database)
    return int(result.records[0][0])


async def history_of(store: GraphStore, credential_id: str) -> list[CredentialChange]:
    """The version records of one credential (the port reads them for many at once)."""
    return (await store.credential_history_many([credential_id]))[credential_id]
