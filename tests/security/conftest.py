"""Security tests run against each store, loaded with the contract suite's small graph."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from credgraph.store import GraphStore
from tests.api.conftest import STORES, _open
from tests.contract.test_writes import load


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async for opened in _open(request, tmp_path):
        await load(opened)
        yield opened
