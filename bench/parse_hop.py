"""What parsing a page in a worker process costs the crawl, against parsing it in place.

    python bench/parse_hop.py [--pages 50] [--sizes 1,10,100,1000]

For catalog pages of each size (the crawl benchmark's Open Badges pages, issuer by URL, three
aligned skills a badge): the parse in this process (CPU), and the same parse through
`ParseWorkers` one page at a time, as a crawl asks: the wall time of the round trip and the
CPU it costs this process (sending the document, receiving and unpickling the records: what
still shares the crawler's interpreter lock). Medians per page; prints the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawl_bench import catalog  # noqa: E402

from credgraph.formats import parser_for  # noqa: E402
from credgraph.formats.base import Document  # noqa: E402
from credgraph.ingest.parse_workers import ParseWorkers  # noqa: E402

BASE = "http://127.0.0.1:8000"


def documents(size: int, count: int) -> list[Document]:
    routes = catalog(BASE, size * count, size)
    linked = {f"{BASE}/issuer": json.loads(routes.pop("/issuer").payload().decode())}
    routes.pop("/robots.txt")
    now = datetime.now(UTC)
    return [
        Document(
            BASE + path,
            route.payload().decode(),
            "bench",
            "openbadges",
            now,
            "application/json",
            None,
            None,
            linked,
        )
        for path, route in routes.items()
    ]


async def measure(
    size: int, count: int, workers: ParseWorkers
) -> tuple[float, float, float, float]:
    """(in-place CPU, worker round-trip wall, this process's CPU for the round trip, the
    worker's CPU parsing), ms/page."""
    docs = documents(size, count)
    parse = parser_for("openbadges")
    here, wall, cpu, worker = [], [], [], []
    for doc in docs:
        started = time.process_time()
        parse(doc)
        here.append(time.process_time() - started)
    for doc in docs:
        began, started, parsing = time.perf_counter(), time.process_time(), workers.cpu_seconds
        await workers.parse(doc)
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - started)
        worker.append(workers.cpu_seconds - parsing)
    return tuple(statistics.median(x) * 1000 for x in (here, wall, cpu, worker))  # type: ignore[return-value]


async def main(count: int, sizes: list[int]) -> None:
    print(f"load average before {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    async with ParseWorkers() as workers:
        await workers.parse(documents(1, 1)[0])  # the pool's start is not a page's cost
        print(
            "credentials/page  parse in place (CPU)  in a worker (wall)  this process's CPU"
            "  the worker's parse (CPU)"
        )
        for size in sizes:
            here, wall, cpu, worker = await measure(size, count, workers)
            print(
                f"{size:>16,}  {here:>17.3f} ms  {wall:>15.3f} ms  {cpu:>15.3f} ms"
                f"  {worker:>21.3f} ms"
            )
    print(f"load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--sizes", default="1,10,100,1000")
    args = parser.parse_args()
    asyncio.run(main(args.pages, [int(s) for s in args.sizes.split(",")]))
