"""Export tests run on both stores, over the contract suite's hand-built graph."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from credgraph.model.crawl import Source
from credgraph.store import GraphStore
from tests.contract import data
from tests.stores import STORES, empty_store


async def load(store: GraphStore) -> None:
    await store.upsert_sources(
        [
            Source("src-a", "openbadges", ("https://catalog.example/page1",), licence="CC-BY-4.0"),
            Source("src-b", "ctdl", ("https://registry.example/graph/",), licence="CC0"),
        ]
    )
    await store.upsert_credentials(data.credentials())
    await store.upsert_skill_requirements(data.REQUIREMENTS)


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with empty_store(request, tmp_path) as opened:
        await load(opened)
        yield opened
