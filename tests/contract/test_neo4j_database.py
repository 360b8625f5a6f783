"""Naming the Neo4j database: in the store URL's path or with CREDGRAPH_NEO4J_DATABASE, over
a direct and a routing URI. The test server (Community) has one user database, `neo4j`."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from credgraph.cli.main import main
from credgraph.errors import StoreUnavailable
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
    # Unavailable, as a server down is: the store cannot be opened (serve exits 3, the
    # scheduler waits for it), not a mistake in what was asked of it.
    with pytest.raises(StoreUnavailable, match=r"does not exist.*nosuchdb"):
        async with open_store(f"{url}/nosuchdb"):
            pass
    monkeypatch.setenv("CREDGRAPH_NEO4J_DATABASE", "nosuchdb")
    with pytest.raises(StoreUnavailable, match="nosuchdb"):
        async with open_store(url):
            pass


def test_serve_on_a_missing_database_exits_three(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port free now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("CREDGRAPH_NEO4J_DATABASE", "credentials")
    out = CliRunner().invoke(main, ["serve", "--store", url, "--port", str(port)])
    assert out.exit_code == 3, out.output
    assert out.output.startswith("error: ") and "credentials" in out.output
    assert "credgraph API on" not in out.output


def test_stats_names_the_store_with_its_password_masked(url: str) -> None:
    scheme, rest = url.split("://", 1)  # the test server takes any credentials
    out = CliRunner().invoke(main, ["stats", "--store", f"{scheme}://neo4j:topsecret@{rest}"])
    assert out.exit_code == 0, out.output
    assert "neo4j:***@" in out.output.replace("\n", "").replace(" ", "")
    assert "topsecret" not in out.output.replace("\n", "").replace(" ", "")
