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
from credgraph.fetch.waiting import FETCH_DEADLINE


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


# A robots.txt fetched: its status and at most the first `max_bytes` of its body.
Getter = Callable[[str, int], Awaitable[tuple[int, bytes]]]
MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB


class RobotsCache:
    """robots.txt rules per scheme+host+port, fetched at most once (concurrent callers wait).

    A fetch is bounded by `seconds` and its body by `max_bytes` (a server that sends one
    without end neither holds the host nor fills memory). It is shared by every document of
    the host, and none of them cancels it by giving up: a document whose own deadline passes
    while robots.txt is read fails alone, and the next one waits for the same fetch."""

    def __init__(self, get: Getter, seconds: float, max_bytes: int = MAX_ROBOTS_BYTES) -> None:
        self._get = get
        self._seconds = seconds
        self._max_bytes = max_bytes
        self._rules: dict[str, asyncio.Task[RobotsRules]] = {}

    async def rules_for(self, url: httpx.URL) -> RobotsRules:
        origin = f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}"
        task = self._rules.get(origin)
        if task is None or task.cancelled():
            task = self._rules[origin] = asyncio.ensure_future(self._load(origin))
        return await asyncio.shield(task)

    def close(self) -> None:
        """Stop the fetches still running (the crawl is over)."""
        for task in self._rules.values():
            task.cancel()

    async def _load(self, origin: str) -> RobotsRules:
        where = f"{origin}/robots.txt"
        # Its own deadline, politeness waits included (the document's is not this task's).
        FETCH_DEADLINE.set(None)
        try:
            async with asyncio.timeout(self._seconds):
                status, content = await self._get(where, self._max_bytes)
        except httpx.HTTPError as exc:
            return RobotsRules(
                None,
                reason=f"{network_failure(exc)} (fetching {where})",
                unavailable=True,
                network=True,
            )
        except TimeoutError:
            return RobotsRules(
                None,
                reason=f"robots.txt was not read within {self._seconds:g} s ({where})",
                unavailable=True,
                network=True,
            )
        if 400 <= status < 500:
            return RobotsRules(None, allow_all=True, reason=f"no robots.txt (HTTP {status})")
        if status >= 500:
            return RobotsRules(None, reason=f"robots.txt answered HTTP {status}", unavailable=True)
        body = content[: self._max_bytes].decode("utf-8", errors="replace")
        return RobotsRules(Protego.parse(body))
