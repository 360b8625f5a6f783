"""Every contract test runs once per store adapter, against a fresh, empty store, and once
more on Neo4j through a routing `neo4j://` URI (reads routed as READ, bookmarks carried)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from credgraph.store import GraphStore
from tests.stores import CONTRACT_STORES, empty_store


@pytest.fixture(params=CONTRACT_STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with empty_store(request, tmp_path) as opened:
        yield opened
