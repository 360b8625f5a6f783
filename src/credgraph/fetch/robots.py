"""robots.txt per host, fetched once per crawl and parsed with Protego.

Following RFC 9309: a robots.txt that is missing (4xx) allows everything; one that cannot be
fetched (5xx, network error) disallows everything for that host during this crawl. The reason
says which: a server error is the robots.txt rule, a network or DNS failure is the network.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from protego import Protego

from credgraph.fetch.network import network_failure


@dataclass(frozen=True, slots=True)
class RobotsRules:
    parser: Protego | None
    allow_all: bool = False
    reason: str = ""
    unavailable: bool = False  # robots.txt could not be read: the host is not crawled
    network: bool = False  # ...because the network failed (DNS, connection), not the server

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.allow_all:
            return True
        if self.parser is None:
            return False
        return bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None

    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []


Getter = Callable[[str], Awaitable[httpx.Response]]


class RobotsCache:
    """robots.txt rules per scheme+host+port, fetched at most once (concurrent callers wait)."""

    def __init__(self, get: Getter, max_bytes: int = 512 * 1024) -> None:
        self._get = get
        self._max_bytes = max_bytes
        self._rules: dict[str, asyncio.Task[RobotsRules]] = {}

    async def rules_for(self, url: httpx.URL) -> RobotsRules:
        origin = f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}"
        task = self._rules.get(origin)
        if task is None:
            task = self._rules[origin] = asyncio.ensure_future(self._load(origin))
        return await task

    async def _load(self, origin: str) -> RobotsRules:
        try:
            response = await self._get(f"{origin}/robots.txt")
        except httpx.HTTPError as exc:
            return RobotsRules(
                None,
                reason=f"{network_failure(exc)} (fetching {origin}/robots.txt)",
                unavailable=True,
                network=True,
            )
        if 400 <= response.status_code < 500:
            return RobotsRules(
                None, allow_all=True, reason=f"no robots.txt (HTTP {response.status_code})"
            )
        if response.status_code >= 500:
            return RobotsRules(
                None, reason=f"robots.txt answered HTTP {response.status_code}", unavailable=True
            )
        body = response.content[: self._max_bytes].decode("utf-8", errors="replace")
        return RobotsRules(Protego.parse(body))
