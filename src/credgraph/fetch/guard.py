"""SSRF guard: refuse hosts that resolve to loopback, private, link-local, multicast or other
non-public addresses, unless private networks are explicitly allowed.

Every address a name resolves to is checked (a name with one public and one private address is
refused). IP literals in any form the resolver accepts (decimal `2130706433`, hex `0x7f.1`,
IPv4-mapped IPv6 `::ffff:127.0.0.1`) resolve to the address they denote and are checked as such.

Two places check: `GuardTransport`, before each request and each redirect (a clear refusal
naming the URL), and `PinnedBackend`, when a connection is opened: it resolves the name once,
checks those addresses and connects to one of them, so a DNS answer that changes between the
first check and the connection (rebinding) cannot lead the socket anywhere unchecked. TLS
still names the host: certificates are verified for the name, not the address.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from credgraph.errors import BlockedURL
from credgraph.fetch.transport import PinnedTransport

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def non_public_reason(address: IPAddress) -> str | None:
    """Why an address must not be fetched from, or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return non_public_reason(address.ipv4_mapped)
    if isinstance(address, ipaddress.IPv6Address) and address.sixtofour is not None:
        return non_public_reason(address.sixtofour)
    checks = (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("private", address.is_private),
        ("multicast", address.is_multicast),
        ("unspecified", address.is_unspecified),
        ("reserved", address.is_reserved),
        (
            "shared (carrier-grade NAT)",
            isinstance(address, ipaddress.IPv4Address)
            and address in ipaddress.ip_network("100.64.0.0/10"),
        ),
        # Python 3.11's tables miss these two: IETF protocol assignments (a cloud metadata
        # service answers on 192.0.0.192) and deprecated IPv6 site-local, still routed inside
        # some networks.
        (
            "IETF protocol assignment",
            isinstance(address, ipaddress.IPv4Address)
            and address in ipaddress.ip_network("192.0.0.0/24"),
        ),
        ("site-local", isinstance(address, ipaddress.IPv6Address) and address.is_site_local),
    )
    for name, hit in checks:
        if hit:
            return f"{name} address {address}"
    if not address.is_global:
        return f"non-public address {address}"
    return None


async def resolve(host: str, port: int) -> list[IPAddress]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpx.ConnectError(f"cannot resolve {host}: {exc.strerror}") from exc
    except UnicodeError as exc:  # the resolver's IDNA encoding: a label empty or too long
        raise httpx.ConnectError(
            f"cannot resolve {host}: not a valid host name (a label is empty or longer than "
            "63 characters)"
        ) from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


async def check_url(url: httpx.URL, *, allow_private: bool) -> None:
    """Raise BlockedURL if `url` may not be fetched."""
    if url.scheme not in ("http", "https"):
        raise BlockedURL(str(url), f"scheme {url.scheme!r} is not fetched (http and https only)")
    if allow_private:
        return
    host = url.host
    if not host:
        raise BlockedURL(str(url), "no host")
    port = url.port or (443 if url.scheme == "https" else 80)
    for address in await resolve(host, port):
        reason = non_public_reason(address)
        if reason:
            raise BlockedURL(
                str(url),
                f"refused: {host} resolves to a {reason} (set allow_private_networks = true "
                "in [crawler] to crawl private networks)",
            )


class GuardTransport(httpx.AsyncBaseTransport):
    """Checks every request, redirects included, before it reaches the network (the
    connection itself is checked again by `PinnedBackend`)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, allow_private: bool) -> None:
        self.inner = inner
        self.allow_private = allow_private

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await check_url(request.url, allow_private=self.allow_private)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to addresses it resolved and checked itself.

    The name is resolved once here (through `resolve`, as the request check does); every
    address is checked unless private networks are allowed; the socket goes to the first
    address that answers. Nothing else resolves the name, so nothing unchecked is reached.
    """

    def __init__(self, *, allow_private: bool, inner: httpcore.AsyncNetworkBackend | None = None):
        self.allow_private = allow_private
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve(host, port)
        if not self.allow_private:
            for address in addresses:
                reason = non_public_reason(address)
                if reason:
                    raise BlockedURL(
                        f"{host}:{port}", f"refused at connection: {host} resolves to a {reason}"
                    )
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options,
                )  # fmt: skip
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure or httpcore.ConnectError(f"{host} resolves to no address")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedURL(path, "unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


@functools.cache
def system_tls() -> ssl.SSLContext:
    """The TLS context verifying against the system's CA certificates, built once per process:
    loading the bundle costs tens of milliseconds of CPU, more than a whole verification, and
    every crawl and verification opened a transport. Connections share a context freely."""
    return httpx.create_ssl_context()


def pinned_transport(
    *, allow_private: bool, verify: ssl.SSLContext | bool = True
) -> PinnedTransport:
    """A transport whose connections go through `PinnedBackend` (`PinnedTransport`)."""
    if isinstance(verify, ssl.SSLContext):
        context = verify
    else:
        context = system_tls() if verify else httpx.create_ssl_context(verify)
    return PinnedTransport(
        httpcore.AsyncConnectionPool(
            ssl_context=context,  # the CA certificates loaded once per process
            max_connections=100,  # httpx's default limits
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=PinnedBackend(allow_private=allow_private),
        )
    )
