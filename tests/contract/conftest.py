"""Every contract test runs once per store adapter, against a fresh, empty store, and once
more on Neo4j through a routing `neo4j://` URI (reads routed as READ, bookmarks carried).
On Neo4j, each test's writes must leave no node at a SAME_AS relationship without the
`Equated` label (store/neo4j/equated.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from credgraph.store import GraphStore
from tests.stores import CONTRACT_STORES, empty_store, unlabelled_equivalence_ends


@pytest.fixture(params=CONTRACT_STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with empty_store(request, tmp_path) as opened:
        yield opened
        # Whatever the test wrote, every write path labels the ends of its SAME_AS edges.
        assert await unlabelled_equivalence_ends(opened) == 0
