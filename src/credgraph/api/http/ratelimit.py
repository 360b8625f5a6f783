"""Token buckets per client, in this process only.

Each client (an API key, or an IP address without one) has a bucket of `burst` tokens that
refills at `rate` tokens per second; a request takes one (a refused API key takes one from
its address's bucket of failed attempts; `wait` asks without taking). With several workers
or replicas each process keeps its own buckets, so the effective limit multiplies: put a
shared limiter (at the gateway, or one backed by Redis) in front when that matters.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class TokenBuckets:
    """`take(client)` returns 0.0 when allowed, else the seconds until a token is free."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        max_clients: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.max_clients = max_clients
        self.clock = clock
        # client -> (tokens, when counted); least recently seen first, so memory stays bounded
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def wait(self, client: str, tokens: int = 1) -> float:
        """Seconds until `take(client, tokens)` would be allowed; takes nothing."""
        found = self._buckets.get(client)
        if not self.enabled or found is None:
            return 0.0
        level, then = found
        level = min(self.burst, level + (self.clock() - then) * self.rate)
        need = min(float(tokens), self.burst)
        return 0.0 if level >= need else (need - level) / self.rate

    def take(self, client: str, tokens: int = 1) -> float:
        if not self.enabled:
            return 0.0
        need = min(float(tokens), self.burst)  # a batch larger than the burst still fits
        now = self.clock()
        level, then = self._buckets.pop(client, (self.burst, now))
        level = min(self.burst, level + (now - then) * self.rate)
        if level >= need:
            self._buckets[client] = (level - need, now)
            wait = 0.0
        else:
            self._buckets[client] = (level, now)
            wait = (need - level) / self.rate
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)  # forgotten clients start again with a full bucket
        return wait
