"""Politeness as an httpx transport: per-host concurrency and delay, Retry-After on 429/503,
exponential backoff with jitter on 5xx, timeouts and connection errors, with a retry cap.

The clock and the sleep are parameters (real time by default), so tests of delays and
backoff check the pauses asked for without waiting them out."""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from credgraph.fetch.waiting import not_spent

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class _Host:
    slots: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_allowed: float = 0.0
    delay: float = 0.0


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" is a digit to str.isdigit, not to float
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class PoliteTransport(httpx.AsyncBaseTransport):
    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        per_host_concurrency: int = 1,
        delay_seconds: float = 1.0,
        max_retries: int = 3,
        max_retry_after: float = 300.0,
        backoff_base: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.inner = inner
        self.clock = clock
        self.sleep = sleep
        self.per_host_concurrency = per_host_concurrency
        self.delay_seconds = delay_seconds
        self.max_retries = max_retries
        self.max_retry_after = max_retry_after
        self.backoff_base = backoff_base
        self.retries = 0  # total retries made, for run reports and tests
        self._hosts: dict[str, _Host] = defaultdict(
            lambda: _Host(asyncio.Semaphore(self.per_host_concurrency), delay=self.delay_seconds)
        )

    def set_host_delay(self, host: str, seconds: float) -> None:
        """Raise a host's delay (robots.txt Crawl-delay); never lowers the configured one."""
        state = self._hosts[host]
        state.delay = max(state.delay, min(seconds, 60.0))

    async def _wait_turn(self, state: _Host) -> None:
        async with state.lock:
            pause = state.next_allowed - self.clock()
            if pause > 0:
                await self.sleep(pause)
            state.next_allowed = self.clock() + state.delay

    def _backoff(self, attempt: int) -> float:
        return float(self.backoff_base * (2**attempt) * (0.5 + random.random()))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        state = self._hosts[request.url.netloc.decode("ascii", "replace")]
        attempt = 0
        while True:
            async with not_spent():
                await state.slots.acquire()
            try:
                async with not_spent():
                    await self._wait_turn(state)
                try:
                    response = await self.inner.handle_async_request(request)
                except (httpx.TimeoutException, httpx.NetworkError):
                    if attempt >= self.max_retries:
                        raise
                    response = None
            finally:
                state.slots.release()
            if response is not None and (
                response.status_code not in RETRY_STATUSES or attempt >= self.max_retries
            ):
                return response
            pause = self._backoff(attempt)
            if response is not None:
                wait = retry_after_seconds(response.headers.get("retry-after"))
                if wait is not None and response.status_code in (429, 503):
                    if wait > self.max_retry_after:
                        return response  # the server asks for longer than we will wait
                    pause = max(pause, wait)
                await response.aclose()
            attempt += 1
            self.retries += 1
            async with not_spent():
                await self.sleep(pause)

    async def aclose(self) -> None:
        await self.inner.aclose()
