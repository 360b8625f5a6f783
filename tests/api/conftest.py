"""Schema tests run every query in-process against each store, loaded with the contract
suite's small graph."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from credgraph.api import make_context
from credgraph.api.schema import build_schema
from credgraph.store import GraphStore
from tests.contract.test_writes import load
from tests.stores import STORES
from tests.stores import empty_store as opened_empty

SCHEMA = build_schema()


async def _open(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with opened_empty(request, tmp_path) as opened:
        yield opened


@pytest.fixture(params=STORES)
async def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async for store in _open(request, tmp_path):
        yield store


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    """A store holding tests/contract/data.py: six credentials, four issuers, six skills."""
    async for opened in _open(request, tmp_path):
        await load(opened)
        yield opened


class GraphQLFailed(AssertionError):
    pass


async def query(
    store: GraphStore, text: str, variables: dict[str, Any] | None = None, **context: Any
) -> dict[str, Any]:
    """The data of a successful operation; fails the test on any error."""
    result = await SCHEMA.execute(
        text, variable_values=variables, context_value=make_context(store, **context)
    )
    if result.errors:
        raise GraphQLFailed([e.formatted for e in result.errors])
    assert result.data is not None
    return result.data


async def errors(
    store: GraphStore, text: str, variables: dict[str, Any] | None = None, **context: Any
) -> list[dict[str, Any]]:
    """The errors of an operation expected to fail."""
    result = await SCHEMA.execute(
        text, variable_values=variables, context_value=make_context(store, **context)
    )
    assert result.errors, f"expected errors, got {result.data}"
    return [dict(e.formatted) for e in result.errors]
