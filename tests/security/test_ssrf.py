"""The SSRF guard with private networks off: internal addresses in every spelling, names that
resolve to them, and redirects toward them from a real HTTP server are refused before any
request is sent to them."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx
import pytest

from credgraph.config.sources import CrawlerSettings
from credgraph.errors import BlockedURL, FetchError
from credgraph.fetch import Fetcher, guard
from credgraph.fetch.guard import IPAddress, check_url
from tests.crawl.server import CatalogServer, Route, serving

GUARDED = CrawlerSettings(
    user_agent="credgraph-test/1",
    delay_seconds=0.0,
    allow_private_networks=False,
    timeout_seconds=2.0,
    max_retries=0,
)
# A public-looking name for the local test server: the guard is told it resolves to a public
# address (it cannot be told to trust one local server), and the transport below it connects
# to 127.0.0.1 instead. Everything the server then redirects to is checked for real.
CATALOG = "catalog.example"
PUBLIC = ipaddress.ip_address("93.184.216.34")

INTERNAL = [
    "http://127.0.0.1/",
    "http://127.1/",
    "http://localhost/",
    "http://LOCALHOST:8080/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.0.1/",
    "http://100.64.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.100.100.200/",
    "http://192.0.0.192/",
    "http://0.0.0.0/",
    "http://0/",
    "http://[::]/",
    "http://[::1]/",
    "http://[::1]:8080/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://[0:0:0:0:0:ffff:7f00:1]/",
    "http://[::127.0.0.1]/",
    "http://[2002:7f00:1::]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[fe80::1]/",
    "http://[fec0::1]/",
    "http://[fd00:ec2::254]/",
    "http://[ff02::1]/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0x7f.1/",
    "http://017700000001/",
    "http://224.0.0.1/",
    "http://255.255.255.255/",
]
# Spellings httpx refuses to parse at all: refused as invalid URLs, never resolved or sent.
UNPARSABLE = ["http://0177.0.0.1/", "http://127.000.000.001/"]


@pytest.mark.parametrize("url", INTERNAL)
async def test_internal_addresses_in_every_spelling_are_refused(url: str) -> None:
    with pytest.raises(BlockedURL, match="refused"):
        await check_url(httpx.URL(url), allow_private=False)


@pytest.mark.parametrize("url", [*INTERNAL, *UNPARSABLE])
async def test_the_fetcher_sends_nothing_to_an_internal_address(url: str) -> None:
    sent: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(200, text="{}")

    async with Fetcher(GUARDED, transport=httpx.MockTransport(record)) as fetcher:
        with pytest.raises(FetchError, match=r"refused|not a valid URL"):
            await fetcher.fetch(url)
    assert sent == []


@pytest.mark.parametrize("host", ["jobs..example", f"{'a' * 64}.example"])
async def test_a_host_name_the_resolver_cannot_encode_is_a_fetch_error(host: str) -> None:
    # The resolver's IDNA encoding refuses a label that is empty or over 63 characters with a
    # UnicodeError: the fetch fails with the reason, as for a name that does not resolve,
    # rather than with an error no caller expects (a crawl's page, matchJob(url:)).
    with pytest.raises(httpx.ConnectError, match="not a valid host name"):
        await guard.resolve(host, 80)
    async with Fetcher(GUARDED) as fetcher:
        with pytest.raises(FetchError, match="not a valid host name"):
            await fetcher.fetch(f"http://{host}/badges")


def fake_dns(answers: dict[str, list[str]]) -> object:
    real = guard.resolve

    async def resolve(host: str, port: int) -> list[IPAddress]:
        if host in answers:
            return [ipaddress.ip_address(a) for a in answers[host]]
        return await real(host, port)

    return resolve


@pytest.mark.parametrize(
    "answers",
    [
        ["10.0.0.5"],
        ["127.0.0.1"],
        ["93.184.216.34", "127.0.0.1"],
        ["2606:4700::1", "fe80::1"],
        ["169.254.169.254"],
    ],
)
async def test_a_name_resolving_to_any_internal_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, answers: list[str]
) -> None:
    monkeypatch.setattr(guard, "resolve", fake_dns({"rebind.example": answers}))
    with pytest.raises(BlockedURL, match=r"rebind\.example resolves to"):
        await check_url(httpx.URL("http://rebind.example/"), allow_private=False)


class ToLocalServer(httpx.AsyncBaseTransport):
    """Sends requests for CATALOG to the local server; anything else to the real network."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == CATALOG:
            request.url = request.url.copy_with(host="127.0.0.1", port=self.port)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
def server() -> Iterator[CatalogServer]:
    with serving({"/secret": Route('{"secret": true}')}) as running:
        yield running


@asynccontextmanager
async def guarded_fetcher(server: CatalogServer) -> AsyncIterator[Fetcher]:
    async with Fetcher(replace(GUARDED), transport=ToLocalServer(server.port)) as fetcher:
        yield fetcher


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:{port}/secret",
        "http://localhost:{port}/secret",
        "http://[::1]:{port}/secret",
        "http://2130706433:{port}/secret",
        "http://0x7f000001:{port}/secret",
        "http://0177.0.0.1:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]:{port}/secret",
        "http://rebind.example:{port}/secret",
    ],
)
async def test_a_redirect_toward_an_internal_address_is_refused_at_that_hop(
    monkeypatch: pytest.MonkeyPatch, server: CatalogServer, location: str
) -> None:
    monkeypatch.setattr(
        guard, "resolve", fake_dns({CATALOG: [str(PUBLIC)], "rebind.example": ["127.0.0.1"]})
    )
    server.routes["/start"] = Route(
        status=302, headers={"Location": location.format(port=server.port)}
    )
    async with guarded_fetcher(server) as fetcher:
        with pytest.raises(FetchError, match=r"(?i)refused|invalid URL"):
            await fetcher.fetch(f"http://{CATALOG}/start")
    paths = [hit.path for hit in server.log]
    assert "/start" in paths, "the allowed first hop was fetched"
    assert "/secret" not in paths


async def test_the_same_server_is_reached_when_nothing_redirects_inward(
    monkeypatch: pytest.MonkeyPatch, server: CatalogServer
) -> None:
    """The control: the set-up above does fetch from the test server when allowed to."""
    monkeypatch.setattr(guard, "resolve", fake_dns({CATALOG: [str(PUBLIC)]}))
    server.routes["/start"] = Route(status=302, headers={"Location": f"http://{CATALOG}/secret"})
    async with guarded_fetcher(server) as fetcher:
        result = await fetcher.fetch(f"http://{CATALOG}/start")
    assert result.status == 200 and result.text == '{"secret": true}'


def rebinding_dns(name: str, first: str, then: str) -> object:
    """A resolver whose answer for `name` changes after the first question of each pair: the
    request check hears `first`, the connection `then` (DNS rebinding)."""
    real = guard.resolve
    asked = 0

    async def resolve(host: str, port: int) -> list[IPAddress]:
        nonlocal asked
        if host != name:
            return await real(host, port)
        asked += 1
        return [ipaddress.ip_address(first if asked % 2 else then)]

    return resolve


async def test_a_name_that_rebinds_after_the_check_is_refused_at_the_connection(
    monkeypatch: pytest.MonkeyPatch, server: CatalogServer
) -> None:
    """The real transport (no test transport below the guard): the check hears a public
    address, the connection hears 127.0.0.1 and refuses; the local server sees nothing."""
    monkeypatch.setattr(guard, "resolve", rebinding_dns("rebind.example", str(PUBLIC), "127.0.0.1"))
    async with Fetcher(replace(GUARDED)) as fetcher:
        with pytest.raises(
            FetchError, match=r"refused at connection: rebind\.example resolves to a loopback"
        ):
            await fetcher.fetch(f"http://rebind.example:{server.port}/secret")
    assert server.log == []


async def test_the_connection_goes_to_the_address_the_guard_resolved(
    monkeypatch: pytest.MonkeyPatch, server: CatalogServer
) -> None:
    """The control: with private networks allowed, a name only the guard's resolver knows
    reaches the server at the address it gave (the system resolver is never asked)."""
    monkeypatch.setattr(guard, "resolve", fake_dns({"issuer.example": ["127.0.0.1"]}))
    async with Fetcher(replace(GUARDED, allow_private_networks=True)) as fetcher:
        result = await fetcher.fetch(f"http://issuer.example:{server.port}/secret")
    assert result.status == 200 and result.text == '{"secret": true}'
    assert [hit.path for hit in server.log if hit.path == "/secret"] == ["/secret"]
