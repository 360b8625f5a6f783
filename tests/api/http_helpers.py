"""Shared by the tests/api/test_http_*.py modules: the app over a SQLite store loaded with the
contract suite's graph, reached through httpx's ASGI transport (real HTTP semantics, no socket).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette

from credgraph.api.app import create_app
from credgraph.api.settings import ApiSettings
from credgraph.errors import StoreUnavailable
from credgraph.store import GraphStore, open_store
from tests.contract import data
from tests.sqlite_template import new_sqlite_store

STATS = "query Stats { stats { credentials } }"
CREDENTIAL_COUNT = len(data.credentials())
CLIENT_IP = "203.0.113.7"
# Rate limits off unless a test turns them on, and the whole-graph indexes built and the
# worker pools started on first use (begun at startup, they would run beside every
# test: tests/api/test_warming.py tests them); everything else as shipped.
TEST_SETTINGS = ApiSettings(
    rate_limit_per_ip=0,
    rate_limit_per_key=0,
    warm_indexes=False,
    warm_verifier=False,
    warm_page_parsers=False,
)


async def loaded_store_url(tmp_path: Path) -> str:
    path = tmp_path / "graph.db"  # a second app in one test finds the first one's store
    url = f"sqlite:///{path}" if path.exists() else await new_sqlite_store(path)
    async with open_store(url) as store:
        await store.upsert_skills([data.SQL, data.PY])
        await store.upsert_occupations([data.DATA_SCI, data.DBA])
        await store.upsert_credentials(data.credentials())
    return url


@asynccontextmanager
async def api(
    tmp_path: Path,
    settings: ApiSettings = TEST_SETTINGS,
    *,
    store: GraphStore | None = None,
    client_ip: str = CLIENT_IP,
    **app_options: Any,
) -> AsyncIterator[tuple[httpx.AsyncClient, Starlette]]:
    """A client for an app whose lifespan is running (store opened, closed on exit)."""
    if store is None and settings.store_url is None:
        settings = replace(settings, store_url=await loaded_store_url(tmp_path))
    app = create_app(settings, store=store, **app_options)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=(client_ip, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            yield client, app


def stats_count(response: httpx.Response) -> int:
    body = response.json()
    assert "errors" not in body, body
    count: int = body["data"]["stats"]["credentials"]
    return count


def first_error(response: httpx.Response) -> dict[str, Any]:
    errors: list[dict[str, Any]] = response.json()["errors"]
    return errors[0]


# The reads a request can make: those of GraphQL's resolvers, the explorer's examples and a
# verification's graph mapping (resolve, get, ingest) and linker build (iter_graph and the
# equivalences).
STORE_READS = (
    "list_credentials",
    "get_credentials",
    "resolve_credential_ids",
    "upsert_credentials",
    "iter_graph",
    "equivalence_pairs",
    "stats",
)
DOWN = "Neo4j store bolt://127.0.0.1:9 cannot be reached (connection refused)"


def reads_fail(store: GraphStore) -> GraphStore:
    """`store`, whose reads raise StoreUnavailable as a store adapter does once it gives up
    (a Neo4j down past its retries, a SQLite file locked past the busy timeout)."""

    def unavailable(*args: object, **kwargs: object) -> Any:
        raise StoreUnavailable(DOWN)

    async def unavailable_async(*args: object, **kwargs: object) -> Any:
        raise StoreUnavailable(DOWN)

    for name in STORE_READS:
        # iter_graph is an async generator function: calling it raises at first iteration
        patched = unavailable if name == "iter_graph" else unavailable_async
        setattr(store, name, patched)
    return store


def reads_hang(store: GraphStore, released: asyncio.Event) -> GraphStore:
    """`store`, whose reads wait for `released` (never set by the tests) as they wait on a
    Neo4j that does not answer."""

    async def hang(*args: object, **kwargs: object) -> Any:
        await released.wait()
        raise AssertionError("a bound should have stopped this read")

    async def hang_iter(*args: object, **kwargs: object) -> AsyncIterator[Any]:
        await released.wait()
        raise AssertionError("a bound should have stopped this read")
        yield  # pragma: no cover

    for name in STORE_READS:
        setattr(store, name, hang_iter if name == "iter_graph" else hang)
    return store
