"""The demo's crawl transport: the hosts its real documents name are answered by the demo's
catalog server from the copies in catalogs/real/; any other host off the machine is refused
before a connection is tried."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from credgraph.cli.demo import CRAWLER
from credgraph.demo import DemoCatalogServer
from credgraph.demo.hosted import HOSTED, DemoHostsTransport
from credgraph.errors import BlockedURL, FetchError
from credgraph.fetch.client import Fetcher
from credgraph.fetch.guard import pinned_transport

REAL = Path(__file__).resolve().parents[2] / "src/credgraph/demo/catalogs/real"


class Recording(httpx.AsyncBaseTransport):
    """The guarded connection pool, with a log of the URLs that reached it."""

    def __init__(self) -> None:
        self.inner = pinned_transport(allow_private=CRAWLER.allow_private_networks)
        self.urls: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_hosted_urls_are_answered_with_the_recorded_documents() -> None:
    with DemoCatalogServer() as catalogs:
        inner = Recording()
        async with Fetcher(CRAWLER, transport=DemoHostsTransport(catalogs.base, inner)) as f:
            for url, name in HOSTED.items():
                result = await f.fetch(url)
                assert result.text == (REAL / name).read_text(encoding="utf-8"), url
                assert result.final_url == url  # the document keeps the URL it names
            assert inner.urls[0] == f"{catalogs.base}/real/example.org/robots.txt"
            assert inner.urls[1:] == [
                f"{catalogs.base}/real/example.org/{url.rsplit('/', 1)[1]}" for url in HOSTED
            ]
            # A path of the host the demo does not hold is a 404, not another file.
            with pytest.raises(FetchError, match="HTTP 404"):
                await f.fetch("https://example.org/ob2-badgeclass-spec-1.json")
    assert catalogs.hits == {404: 2, 200: 3}  # robots.txt and the unknown path; the three


async def test_other_hosts_are_refused_without_a_connection() -> None:
    with DemoCatalogServer() as catalogs:
        inner = Recording()
        async with Fetcher(CRAWLER, transport=DemoHostsTransport(catalogs.base, inner)) as f:
            with pytest.raises(BlockedURL, match="the demo crawls only its local catalogs"):
                await f.fetch("https://www.example.com/badge.json")
            # loopback goes out as asked: the catalogs themselves
            result = await f.fetch(f"{catalogs.base}/real/ob2-issuer-profile-spec-1.json")
    assert result.status == 200
    assert inner.urls == [
        f"{catalogs.base}/robots.txt",
        f"{catalogs.base}/real/ob2-issuer-profile-spec-1.json",
    ]
