"""A small closed-loop load client: N workers, each sends one GraphQL request at a time
from a fixed mix and records its latency and whether the answer was a clean success."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # seconds, successes and failures
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


Request = tuple[str, dict[str, Any]]  # query text, variables


async def _worker(
    client: httpx.AsyncClient, mix: Sequence[Request], offset: int, until: float, tally: Tally
) -> None:
    n = offset
    while time.monotonic() < until:
        query, variables = mix[n % len(mix)]
        n += 1
        started = time.perf_counter()
        try:
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            body = response.json()
            if response.status_code != 200 or "errors" in body:
                tally.errors.append(f"{response.status_code}: {str(body)[:200]}")
        except (httpx.HTTPError, ValueError) as exc:
            tally.errors.append(f"{type(exc).__name__}: {exc}")
        tally.latencies.append(time.perf_counter() - started)


async def run_load(base: str, mix: Sequence[Request], *, workers: int, seconds: float) -> Tally:
    tally = Tally()
    until = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        await asyncio.gather(*(_worker(client, mix, i, until, tally) for i in range(workers)))
    return tally


async def warm_up(base: str, mix: Sequence[Request]) -> None:
    """Ask each request of the mix once, unmeasured: the first answer of each query pays for
    compiling it (GraphQL validation, Neo4j's Cypher plans), which a deployment pays once."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for query, variables in mix:
            await client.post("/graphql", json={"query": query, "variables": variables})
