"""How long the API takes to refuse hostile GraphQL documents (depth and alias bombs, a field
repeated hundreds of times, fragment doubling, a token flood, a giant `first`), through the
whole app in-process over an empty SQLite store.

    .venv/bin/python bench/refusals_bench.py [--repeat 20]

Prints, with the load average, p50 and the slowest of each refusal in milliseconds. The tests
(tests/api/test_http_limits.py) check that each is refused with the right reason and keep only
a freeze-level bound; how fast a refusal is belongs here.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from credgraph.api.app import create_app
from credgraph.api.settings import ApiSettings

DEEP = "stats { credentials }"
for _i in range(40):
    DEEP = f"f{_i} {{ {DEEP} }}"
REFUSALS: dict[str, dict[str, object]] = {
    "depth bomb (40 levels)": {"query": f"query Deep {{ {DEEP} }}"},
    "300 aliases": {
        "query": "{ " + " ".join(f"a{i}: stats {{ credentials }}" for i in range(300)) + " }"
    },
    "a field 400 times": {"query": "{ " + "stats { credentials } " * 400 + "}"},
    "fragment doubling (2^40)": {
        "query": "{ stats { ...F0 } } "
        + " ".join(f"fragment F{i} on GraphStats {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
        + " fragment F40 on GraphStats { credentials }"
    },
    "token flood (50,000 tokens)": {"query": "{ stats { " + "credentials " * 50_000 + "} }"},
    "first: 1,000,000": {
        "query": "query Huge($n: Int) { credentials(first: $n) { edges { node { name } } } }",
        "variables": {"n": 1_000_000},
    },
}


async def measure(repeat: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as folder:
        settings = ApiSettings(
            store_url=f"sqlite:///{Path(folder) / 'empty.db'}",
            rate_limit_per_ip=0,
            rate_limit_per_key=0,
        )
        app = create_app(settings)
        timings: dict[str, list[float]] = {name: [] for name in REFUSALS}
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
            async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
                for _ in range(repeat):
                    for name, body in REFUSALS.items():
                        started = time.perf_counter()
                        response = await client.post("/graphql", json=body)
                        timings[name].append(time.perf_counter() - started)
                        if response.status_code != 400:
                            raise SystemExit(f"{name}: answered {response.status_code}, not 400")
        return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="requests of each kind")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # each refusal is logged with its document: not timed here
    load1, load5, _ = os.getloadavg()
    timings = asyncio.run(measure(args.repeat))
    print(f"load average {load1:.2f} (1 min), {load5:.2f} (5 min); {args.repeat} of each")
    print(f"{'refusal':<30} {'p50 ms':>8} {'slowest ms':>11}")
    for name, seconds in timings.items():
        print(f"{name:<30} {statistics.median(seconds) * 1000:8.2f} {max(seconds) * 1000:11.2f}")


if __name__ == "__main__":
    main()
