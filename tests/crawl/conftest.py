"""Crawl tests write to a fresh SQLite store unless a module asks for both stores."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from credgraph.store import GraphStore, open_store
from tests.sqlite_template import new_sqlite_store


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with open_store(await new_sqlite_store(tmp_path / "crawl.db")) as opened:
        yield opened
