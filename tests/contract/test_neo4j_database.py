"""Naming the Neo4j database: in the store URL's path or with CREDGRAPH_NEO4J_DATABASE, over
a direct and a routing URI. The test server (Community) has one user database, `neo4j`."""

from __future__ import annotations

import pytest

from credgraph.errors import StoreError
from credgraph.model.records import Issuer
from credgraph.store import open_store
from credgraph.store.neo4j import Neo4jStore
from tests.stores import routing_url, wipe_neo4j

pytestmark = pytest.mark.neo4j


@pytest.fixture(params=["bolt", "neo4j"])
async def url(request: pytest.FixtureRequest, neo4j_url: str) -> str:
    await wipe_neo4j(neo4j_url)
    return routing_url(neo4j_url) if request.param == "neo4j" else neo4j_url


async def test_the_named_database_is_the_one_written_and_read(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREDGRAPH_NEO4J_DATABASE", "neo4j")
    async with open_store(url) as named:
        assert isinstance(named, Neo4jStore) and named.target.database == "neo4j"
        await named.upsert_issuers([Issuer(id="urn:db:one", name="One")])
        await named.ping()
    monkeypatch.delenv("CREDGRAPH_NEO4J_DATABASE")
    async with open_store(url) as default:  # the server's default database is neo4j
        assert [i.name for i in await default.get_issuers(["urn:db:one"])] == ["One"]


async def test_a_missing_database_is_an_error_naming_it(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CREDGRAPH_NEO4J_DATABASE", raising=False)
    with pytest.raises(StoreError, match="nosuchdb"):
        async with open_store(f"{url}/nosuchdb"):
            pass
    monkeypatch.setenv("CREDGRAPH_NEO4J_DATABASE", "nosuchdb")
    with pytest.raises(StoreError, match="nosuchdb"):
        async with open_store(url):
            pass
