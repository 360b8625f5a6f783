"""What the API answers while the store cannot be reached: a 503 naming the store on
/graphql (never a masked internal error), the explorer's page with placeholder examples.
The stores here are faked (reads raise StoreUnavailable, or wait for an event never set), so
nothing depends on how long a real outage takes to show; `FROZEN` only guards against a
request that never ends."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from credgraph.store import open_store
from tests.api.http_helpers import (
    DOWN,
    STATS,
    api,
    first_error,
    loaded_store_url,
    reads_fail,
    reads_hang,
)
from tests.api.test_http_pages import explorer_config

FROZEN = 30.0  # seconds: a hang guard, not a speed target
CREDENTIALS = "{ credentials(first: 1) { edges { node { id } } } }"


@pytest.mark.parametrize("query", [CREDENTIALS, STATS], ids=["credentials", "stats"])
async def test_a_store_that_gave_up_is_a_503_naming_the_store(
    tmp_path: Path, query: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A store adapter that stops retrying before the operation's deadline (a short
    CREDGRAPH_NEO4J_RETRY_SECONDS, a SQLite file locked past its busy timeout) raises
    StoreUnavailable in the resolver: the caller learns the store is down, not of a bug."""
    store = reads_fail(open_store(await loaded_store_url(tmp_path)))
    with caplog.at_level(logging.ERROR, logger="credgraph.api"):
        async with api(tmp_path, store=store) as (client, _):
            async with asyncio.timeout(FROZEN):
                response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 503, response.text
    error = first_error(response)
    assert error["extensions"]["code"] == "STORE_UNAVAILABLE"
    assert DOWN in error["message"]
    assert "Internal server error" not in response.text
    assert not [r for r in caplog.records if "internal error" in r.getMessage()]


async def test_the_explorer_opens_on_placeholders_when_the_store_gave_up(tmp_path: Path) -> None:
    store = reads_fail(open_store(await loaded_store_url(tmp_path)))
    async with api(tmp_path, store=store) as (client, _):
        async with asyncio.timeout(FROZEN):
            page = await client.get("/explorer")
    assert page.status_code == 200
    tabs = explorer_config(page.text)["tabs"]
    assert isinstance(tabs, list) and len(tabs) == 6
    assert json.loads(tabs[0]["variables"]) == {"ids": ["CREDENTIAL-ID-1", "CREDENTIAL-ID-2"]}


async def test_the_explorer_does_not_wait_for_a_store_that_does_not_answer(
    tmp_path: Path,
) -> None:
    store = reads_hang(open_store(await loaded_store_url(tmp_path)), asyncio.Event())
    async with api(tmp_path, store=store) as (client, _):
        async with asyncio.timeout(FROZEN):
            page = await client.get("/explorer")
    assert page.status_code == 200
    tabs = explorer_config(page.text)["tabs"]
    assert isinstance(tabs, list)
    assert json.loads(tabs[2]["variables"]) == {"id": "CREDENTIAL-ID"}
