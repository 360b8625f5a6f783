"""Every contract test runs once per store adapter, against a fresh, empty store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from credgraph.store import GraphStore, open_store


async def _wipe_neo4j(url: str) -> None:
    from neo4j import AsyncGraphDatabase

    async with AsyncGraphDatabase.driver(url, auth=None) as driver, driver.session() as session:
        # In batches: a database left full by a benchmark must not need one huge transaction.
        result = await session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        )
        await result.consume()


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'graph.db'}"
    else:
        url = request.getfixturevalue("neo4j_url")
        await _wipe_neo4j(url)
    async with open_store(url) as opened:
        yield opened
