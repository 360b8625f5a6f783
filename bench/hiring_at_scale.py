"""matchJob and resolveCredentials on a loaded synthetic graph, on either store: how long the
first answer waits for its build, how long the event loop was held meanwhile, then p50 / p99.

    python bench/hiring_at_scale.py --store-url sqlite:////tmp/scale/10.db --scale 10
    python bench/hiring_at_scale.py --store-url bolt://127.0.0.1:7792 --scale 10

The graph must already hold `bench/synthetic.py`'s graph at `--scale` (fractions of 100k
credentials; `bench/scale_table.py --work` or `bench/store_bench.py` load one). The app
`credgraph serve` runs is driven in-process through httpx's ASGI transport. matchJob reads a
1,500-character ad naming eight of the graph's skills (`match_bench.job_text`);
resolveCredentials reads 20 of the graph's credential names drawn at random. The first
requests start each build and are told to ask again while it runs; meanwhile a ticker on the
event loop records its longest wait (the house rule: the loop only waits) with the CPU time
the process used meanwhile (a wait on the GIL uses as much as it lasts, one on the scheduler
of a loaded machine next to none), and `gc.callbacks` the full collections meanwhile (each
walks everything the process keeps, holding the GIL).
The process sets its collector up as `credgraph serve` does (`tune_for_serving`). Printed with
the process's resident memory and the load average; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent / "src"), str(ROOT.parent), str(ROOT)]

from bench.match_bench import QUERY as MATCH_QUERY  # noqa: E402
from bench.match_bench import job_text, load_average  # noqa: E402
from bench.synthetic import WORDS, Shape  # noqa: E402

from credgraph.api.app import create_app  # noqa: E402
from credgraph.api.settings import load_settings  # noqa: E402
from credgraph.collector import tune_for_serving  # noqa: E402
from credgraph.store import open_store  # noqa: E402

# A build still running answers TIMEOUT; Strawberry would log each with its traceback (`credgraph
# serve` silences it the same way, `api/http/logs.py`).
logging.getLogger("strawberry.execution").disabled = True

RESOLVE_QUERY = """query($names: [String!]!) { resolveCredentials(names: $names) {
  input matches { confidence method credential { id } } } }"""


def credential_name(shape: Shape, i: int) -> str:
    """The name `bench/synthetic.py` gives credential i."""
    topic = i % shape.topics
    return f"{WORDS[topic % len(WORDS)].title()} credential {i}"


def process_cpu() -> float:
    """The CPU time the process has used, every thread's (in steps of 10 ms on Linux)."""
    used = os.times()
    return used.user + used.system


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class LoopWatch:
    """The event loop's longest wait between ticks of 5 ms while it runs, and the full
    collections meanwhile (in any thread: the loop waits on each)."""

    def __init__(self) -> None:
        self.longest = 0.0
        # The CPU time the process used during the longest wait, and the most it used during
        # any one: a wait spent holding the GIL uses as much CPU as it lasts, one spent waiting
        # for the scheduler (a loaded machine) next to none.
        self.cpu_in_longest = 0.0
        self.most_cpu_in_a_wait = 0.0
        self.full_collections = 0
        self.longest_full_collection = 0.0
        self._task: asyncio.Task[None] | None = None
        self._collecting_since = 0.0

    def _collection(self, phase: str, info: dict[str, Any]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._collecting_since = time.perf_counter()
        else:
            self.full_collections += 1
            took = time.perf_counter() - self._collecting_since
            self.longest_full_collection = max(self.longest_full_collection, took)

    async def _tick(self) -> None:
        last, last_cpu = time.perf_counter(), process_cpu()
        while True:
            await asyncio.sleep(0.005)
            now, cpu = time.perf_counter(), process_cpu()
            if now - last - 0.005 > self.longest:
                self.longest = now - last - 0.005
                self.cpu_in_longest = cpu - last_cpu
            self.most_cpu_in_a_wait = max(self.most_cpu_in_a_wait, cpu - last_cpu)
            last, last_cpu = now, cpu

    def __enter__(self) -> LoopWatch:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        gc.callbacks.append(self._collection)
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()
        gc.callbacks.remove(self._collection)


async def measure(
    client: httpx.AsyncClient, query: str, variables: Any, runs: int, field: str
) -> dict[str, float]:
    """Ask until the build is done, then `runs` timed requests after five untimed."""
    started = time.perf_counter()
    with LoopWatch() as watch:
        while True:
            payload = (
                await client.post("/graphql", json={"query": query, "variables": variables()})
            ).json()
            errors = payload.get("errors") or []
            if not errors:
                break
            if errors[0].get("extensions", {}).get("code") != "TIMEOUT":
                raise SystemExit(f"{field}: {errors[0]}")
            await asyncio.sleep(1.0)
    first = time.perf_counter() - started
    times: list[float] = []
    for n in range(runs + 5):
        t0 = time.perf_counter()
        payload = (
            await client.post("/graphql", json={"query": query, "variables": variables()})
        ).json()
        if payload.get("errors"):
            raise SystemExit(f"{field}: {payload['errors'][0]}")
        if n >= 5:
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "first answer after, s": first,
        "loop's longest wait meanwhile, ms": watch.longest * 1000,
        "CPU the process used in that wait, ms": watch.cpu_in_longest * 1000,
        "the most CPU it used in any one wait, ms": watch.most_cpu_in_a_wait * 1000,
        "full collections meanwhile": watch.full_collections,
        "the longest of them, ms": watch.longest_full_collection * 1000,
        "p50 ms": statistics.median(times),
        "p99 ms": times[min(len(times) - 1, int(len(times) * 0.99))],
        "process RSS after, MiB": rss_mib(),
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    shape = Shape().scaled(args.scale) if args.scale != 1.0 else Shape()
    rng = random.Random(7)
    text = job_text(shape)
    settings = load_settings(
        env={"CREDGRAPH_RATE_LIMIT_PER_IP": "0"}, store_url=args.store_url, access_log="off"
    )
    figures: dict[str, Any] = {"store": args.store_url.split(":")[0], "rss_before_mib": rss_mib()}
    figures["credentials"] = shape.credentials
    async with open_store(args.store_url) as store:
        app = create_app(settings, store=store)
        tune_for_serving()  # as `credgraph serve` does once its app is made
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", timeout=60
        ) as client:
            figures["matchJob(text:)"] = await measure(
                client, MATCH_QUERY, lambda: {"text": text}, args.runs, "matchJob"
            )
            figures["resolveCredentials (20 names)"] = await measure(
                client,
                RESOLVE_QUERY,
                lambda: {
                    "names": [
                        credential_name(shape, rng.randrange(shape.credentials)) for _ in range(20)
                    ]
                },
                args.runs,
                "resolveCredentials",
            )
    figures["load average"] = load_average()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store-url", required=True, help="sqlite:///PATH or bolt://HOST:PORT")
    parser.add_argument("--scale", type=float, default=1.0, help="the graph's scale (x 100k)")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    figures = asyncio.run(run(args))
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
