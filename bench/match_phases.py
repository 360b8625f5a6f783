"""matchJob(text:) on a loaded synthetic graph, each phase of a request timed: reading the
ad's text, the skills' equivalents and covering credentials, the occupations' credentials
(and their related occupations), the whole match and the answer, with the request's p50 and
the process's CPU per request. In-process, through the app `credgraph serve` runs.

    python bench/match_phases.py --db /tmp/scale/10.db --scale 10 [--runs 40]

The graph must hold `bench/synthetic.py`'s graph at `--scale` (`bench/scale_table.py --work`);
the ad is `match_bench.job_text`'s. The requests start after the vocabulary's build. Printed
with the load average; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import functools
import logging
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent / "src"), str(ROOT.parent), str(ROOT)]

from bench.match_bench import QUERY, job_text  # noqa: E402
from bench.synthetic import Shape  # noqa: E402

import credgraph.analysis.occupations as occupations  # noqa: E402
from credgraph.api import matching as api_matching  # noqa: E402
from credgraph.api.app import create_app  # noqa: E402
from credgraph.api.settings import load_settings  # noqa: E402
from credgraph.collector import tune_for_serving  # noqa: E402
from credgraph.match import matcher  # noqa: E402
from credgraph.store import open_store  # noqa: E402

# The first requests, told the vocabulary is still being built, would be logged with their
# tracebacks (`credgraph serve` silences them the same way).
logging.getLogger("strawberry.execution").disabled = True
T = TypeVar("T")
SPENT: dict[str, list[float]] = collections.defaultdict(list)


def timed(name: str, call: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    @functools.wraps(call)
    async def wrapped(*args: Any, **kwargs: Any) -> T:
        started = time.perf_counter()
        try:
            return await call(*args, **kwargs)
        finally:
            SPENT[name].append((time.perf_counter() - started) * 1000)

    return wrapped


def process_cpu() -> float:
    used = os.times()
    return used.user + used.system


async def run(db: str, scale: float, runs: int) -> None:
    api_matching._read = timed("reading the text", api_matching._read)  # type: ignore[assignment]
    api_matching.match = timed("the match", api_matching.match)  # type: ignore[assignment]
    api_matching._answer = timed("the answer", api_matching._answer)  # type: ignore[assignment]
    matcher.load_equivalents = timed("equivalents", matcher.load_equivalents)  # type: ignore[assignment]
    matcher._preparing = timed("occupations' credentials", matcher._preparing)  # type: ignore[assignment]
    occupations.related_occupations = timed(  # type: ignore[assignment]
        "related occupations", occupations.related_occupations
    )
    url = f"sqlite:///{db}"
    text = job_text(Shape().scaled(scale) if scale != 1.0 else Shape())
    settings = load_settings(
        env={"CREDGRAPH_RATE_LIMIT_PER_IP": "0"}, store_url=url, access_log="off"
    )
    async with open_store(url) as store:
        store.credentials_covering = timed(  # type: ignore[method-assign]
            "covering credentials", store.credentials_covering
        )
        app = create_app(settings, store=store)
        tune_for_serving()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            ask = {"query": QUERY, "variables": {"text": text}}
            while (await client.post("/graphql", json=ask)).json().get("errors"):
                await asyncio.sleep(1.0)  # the vocabulary is being built
            SPENT.clear()
            walls, cpu = [], process_cpu()
            for _ in range(runs):
                started = time.perf_counter()
                answer = (await client.post("/graphql", json=ask)).json()
                walls.append((time.perf_counter() - started) * 1000)
                if answer.get("errors"):
                    raise SystemExit(answer["errors"][0])
    print(
        f"matchJob(text:), {runs} requests: p50 {statistics.median(walls):.1f} ms, the "
        f"process's CPU {(process_cpu() - cpu) / runs * 1000:.1f} ms a request; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    for name, times in SPENT.items():
        print(f"  {name:28s} p50 {statistics.median(times):6.2f} ms  ({len(times)} calls)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="a SQLite file holding the graph")
    parser.add_argument("--scale", type=float, default=10.0, help="the graph's scale (x 100k)")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    asyncio.run(run(args.db, args.scale, args.runs))
