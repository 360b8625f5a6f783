"""Real documents at the URLs they name, answered from the demo's copies.

A hosted Open Badges 2.0 badge is read through its links: the Assertion names its BadgeClass
by URL, the BadgeClass its issuer. The specification's example writes them at
https://example.org/, and the demo must not reach the internet, so its crawl goes through
`DemoHostsTransport`: a request for a host those documents name is sent to the demo's catalog
server under `/real/<host>/<path>` (the server answers it from the copy in catalogs/real/);
loopback goes out as asked; any other host is refused. The crawl asks for, and keeps, the
documents' own URLs: only the connection is local.
"""

from __future__ import annotations

import ipaddress

import httpx

from credgraph.errors import BlockedURL
from credgraph.fetch.guard import pinned_transport

HOSTED_PREFIX = "/real"
# The real documents served at their own URLs: URL -> the copy in catalogs/real/.
HOSTED = {
    "https://example.org/beths-robotics-badge.json": "ob2-assertion-hosted-spec-1.json",
    "https://example.org/robotics-badge.json": "ob2-badgeclass-spec-1.json",
    "https://example.org/organization.json": "ob2-issuer-profile-spec-1.json",
}
HOSTS = frozenset(httpx.URL(url).host for url in HOSTED)


def hosted_path(url: httpx.URL) -> str:
    """The catalog server's path for a URL of a hosted host: `/real/example.org/x.json`."""
    return f"{HOSTED_PREFIX}/{url.host}{url.path}"


def hosted_files() -> dict[str, str]:
    """The catalog server's path for each hosted document -> the name of its copy."""
    return {hosted_path(httpx.URL(url)): name for url, name in HOSTED.items()}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class DemoHostsTransport(httpx.AsyncBaseTransport):
    """Send requests for `HOSTS` to the catalog server at `catalogs` through `inner`; pass
    loopback requests to `inner` unchanged; refuse every other host (BlockedURL, not retried).

    It sits under the fetch layer's politeness and guard (`Fetcher(transport=...)`), which see
    the URL asked for; `inner` is the guarded connection pool the crawl would have used."""

    def __init__(self, catalogs: str, inner: httpx.AsyncBaseTransport) -> None:
        self.catalogs = httpx.URL(catalogs)
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host in HOSTS:
            prefix = f"{HOSTED_PREFIX}/".encode("ascii") + request.url.raw_host
            url = self.catalogs.copy_with(raw_path=prefix + request.url.raw_path)
            headers = request.headers.copy()
            # httpx fills in Host only for a request it builds without a stream: say it here.
            headers["Host"] = self.catalogs.netloc.decode("ascii")
            request = httpx.Request(
                request.method,
                url,
                headers=headers,
                stream=request.stream,
                extensions=request.extensions,
            )
        elif not is_loopback(host):
            raise BlockedURL(
                str(request.url),
                "refused: the demo crawls only its local catalogs and the hosts its real "
                f"documents name ({', '.join(sorted(HOSTS))})",
            )
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def crawl_transport(catalogs: str, *, allow_private: bool) -> DemoHostsTransport:
    """The demo crawl's transport: the real documents' hosts answered by the catalog server
    at `catalogs`, nothing else off the machine, over the guarded pool a crawl would use
    (each crawl closes the transport it is given: one per crawl)."""
    return DemoHostsTransport(catalogs, pinned_transport(allow_private=allow_private))
