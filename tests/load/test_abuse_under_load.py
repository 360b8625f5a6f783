"""GraphQL abuse against a real `credgraph serve`, measured: normal clients first alone, then
beside clients sending nothing but abuse (alias floods, fragment doubling, depth and token
bombs, oversized variables and pages, batches, introspection floods, malformed JSON, wrong
content types), each abusive request answered with a clear 4xx in bounded time, and the
normal clients still served without an error and never frozen (no request waits seconds);
the p99 beside the abuse and its ratio to the p99 alone are printed, not asserted: on a busy
machine the ratio measures the neighbours as much as the server.

Duration: CREDGRAPH_ABUSE_SECONDS per phase (10 in CI, 5 locally unless set).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.api.http_helpers import loaded_store_url
from tests.faults.served import serving_api
from tests.load.load_client import run_load, warm_up
from tests.load.test_soak import request_mix

SECONDS = float(os.environ.get("CREDGRAPH_ABUSE_SECONDS") or (10 if os.environ.get("CI") else 5))
NORMAL_WORKERS = 4
ABUSIVE_WORKERS = 4
# The abuse shares the server's one process and the two cores with the normal clients and
# the load generator: normal requests may slow down, but one that waits this long is frozen.
FROZEN_S = 3.0
# Every refusal is decided before execution (parse, validation, limits): slower is a hang.
REFUSAL_BOUND_S = 5.0

pytestmark = [pytest.mark.slow, pytest.mark.load]

ALIAS_FLOOD = "{ " + " ".join(f"a{i}: stats {{ credentials }}" for i in range(300)) + " }"
DOUBLING = (
    "{ stats { ...F0 } } "
    + " ".join(f"fragment F{i} on GraphStats {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
    + " fragment F40 on GraphStats { credentials }"
)
DEEP = "{ credentials { edges { node { " + "prerequisites { " * 30 + "id" + " }" * 30 + " } } } }"
INTROSPECTION = (
    "{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }"
)


@dataclass(frozen=True)
class Abuse:
    name: str
    body: bytes
    content_type: str = "application/json"
    refused: bool = True  # False: allowed (the explorer introspects), but bounded in time


def abuses() -> list[Abuse]:
    def gql(query: str, **extra: object) -> bytes:
        return json.dumps({"query": query, **extra}).encode()

    return [
        Abuse("alias flood", gql(ALIAS_FLOOD)),
        Abuse("fragment doubling", gql(DOUBLING)),
        Abuse("depth bomb", gql(DEEP)),
        Abuse("token flood", gql("{" * 5000)),
        Abuse("giant first", gql("{ credentials(first: 1000000) { totalCount } }")),
        Abuse(
            "huge variables",
            gql("query($t: String) { stats { credentials } }", variables={"t": "x" * 200_000}),
        ),
        Abuse("batch over the cap", json.dumps([{"query": "{ stats { skills } }"}] * 50).encode()),
        Abuse("introspection flood", gql(INTROSPECTION), refused=False),
        Abuse("malformed JSON", b'{"query": "{ stats { credentials } }"'),
        Abuse(
            "wrong content type", b"query=%7B%20stats%20%7D", "application/x-www-form-urlencoded"
        ),
    ]


@dataclass
class AbuseTally:
    by_status: dict[int, int] = field(default_factory=dict)
    slowest: float = 0.0
    unexpected: list[str] = field(default_factory=list)


async def abuse(base: str, until: float, offset: int, tally: AbuseTally) -> None:
    kinds = abuses()
    n = offset
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while time.monotonic() < until:
            kind = kinds[n % len(kinds)]
            n += 1
            started = time.perf_counter()
            response = await client.post(
                "/graphql", content=kind.body, headers={"Content-Type": kind.content_type}
            )
            took = time.perf_counter() - started
            tally.slowest = max(tally.slowest, took)
            tally.by_status[response.status_code] = tally.by_status.get(response.status_code, 0) + 1
            body = response.json()
            errors = body.get("errors", []) if isinstance(body, dict) else []
            messages = [e.get("message", "") for e in errors]
            clear = 400 <= response.status_code < 500 and messages and all(messages)
            allowed = not kind.refused and response.status_code == 200 and not errors
            if not (clear or allowed):
                tally.unexpected.append(f"{kind.name}: {response.status_code} {str(body)[:200]}")


async def test_abuse_is_refused_quickly_while_normal_clients_are_served(tmp_path: Path) -> None:
    store_url = await loaded_store_url(tmp_path)
    settings = {
        "CREDGRAPH_RATE_LIMIT_PER_IP": "0",  # all clients share 127.0.0.1: measure, not limit
        "CREDGRAPH_ACCESS_LOG": "off",
    }
    mix = request_mix()
    with serving_api(store_url, env=settings) as served:
        await warm_up(served.base, mix)
        alone = await run_load(served.base, mix, workers=NORMAL_WORKERS, seconds=SECONDS)
        tally = AbuseTally()
        until = time.monotonic() + SECONDS
        beside, *_ = await asyncio.gather(
            run_load(served.base, mix, workers=NORMAL_WORKERS, seconds=SECONDS),
            *(abuse(served.base, until, i * 3, tally) for i in range(ABUSIVE_WORKERS)),
        )
        healthy = httpx.get(f"{served.base}/healthz", timeout=10).status_code
    refused = sum(tally.by_status.values())
    p99_alone, p99_beside = alone.percentile(0.99) * 1000, beside.percentile(0.99) * 1000
    print(
        f"\nabuse under load, {SECONDS:.0f} s a phase: normal alone {alone.requests} requests, "
        f"p99 {p99_alone:.1f} ms; beside {refused} abusive requests ({tally.by_status}, "
        f"slowest {tally.slowest * 1000:.0f} ms): {beside.requests} normal requests, "
        f"p99 {p99_beside:.1f} ms, {len(beside.errors)} errors"
    )
    assert not alone.errors and not beside.errors, (alone.errors + beside.errors)[:5]
    assert beside.requests > 0 and refused >= len(abuses())
    assert not tally.unexpected, tally.unexpected[:5]
    assert tally.slowest < REFUSAL_BOUND_S, f"an abusive request took {tally.slowest:.2f} s"
    slowest = beside.percentile(1.0)
    print(f"p99 beside / alone: {p99_beside / p99_alone:.1f}x, slowest normal {slowest:.2f} s")
    assert slowest < FROZEN_S, f"a normal request waited {slowest:.2f} s beside the abuse"
    assert healthy == 200
