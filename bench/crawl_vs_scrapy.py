"""The crawler against Scrapy on the crawl benchmark's catalog (issue 24's yardstick).

    python bench/crawl_vs_scrapy.py --scrapy-python PATH [--rounds 5] [--credentials 10000]
                                    [--page-size 100] [--floor]

Scrapy is a tool of this benchmark only, never a dependency of credgraph: install it into a
separate environment and name its interpreter, e.g.
`python3 -m venv /tmp/bench-scrapy && /tmp/bench-scrapy/bin/pip install scrapy`.

One catalog server runs in its own process (neither crawler shares an interpreter with it).
Each round, in turn: credgraph crawls the catalog into a fresh SQLite store (`crawl_sources`,
politeness delays off, one request at a time per host, robots.txt obeyed), and Scrapy
(`bench/scrapy/catalog_spider.py`, the same politeness) follows the same pages and writes
every badge to a JSON-lines feed. Scrapy's time runs from its first request to the feed's
last write (its start-up is left out); credgraph's is the `crawl_sources` call. Prints the
median of each, their ratio (target <= 1.0) and the load average.

`--floor` adds a third crawl to each round, interleaved with the others: the same crawl with
the credentials' write left out (`writes.upsert_credentials` answers as if it had created
them; issuers, skills and page states are still written). It measures what fetching,
parsing and linking cost on their own, the least the crawl into the store could take.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawl_bench import catalog  # noqa: E402

from credgraph.config.sources import CrawlerSettings  # noqa: E402
from credgraph.ingest import crawl_sources  # noqa: E402
from credgraph.ingest.parse_workers import ParseWorkers  # noqa: E402
from credgraph.model import Source  # noqa: E402
from credgraph.store import open_store  # noqa: E402
from credgraph.store.sqlite import writes  # noqa: E402
from tests.crawl.server import CatalogServer  # noqa: E402

SPIDER = ROOT / "bench" / "scrapy" / "catalog_spider.py"


def serve(total: int, page_size: int, pipe: Connection) -> None:
    """The catalog server's process: its base URL down the pipe, then serve until told."""
    with CatalogServer() as server:
        server.routes.update(catalog(server.url(""), total, page_size))
        pipe.send(server.url(""))
        pipe.recv()


@contextlib.contextmanager
def credential_writes_left_out() -> Iterator[None]:
    """Within: every credential upsert on SQLite counts its batch as created, writes nothing."""
    real = writes.upsert_credentials

    def counted(
        conn: object, batch: Sequence[object], now: str, *, staged: bool = False
    ) -> tuple[writes.Counts, list[object]]:
        return writes.Counts(created=len(batch)), []

    writes.upsert_credentials = counted  # type: ignore[assignment]
    try:
        yield
    finally:
        writes.upsert_credentials = real


def thread_cpu() -> collections.Counter[str]:
    """CPU seconds of each live thread of this process so far (Linux /proc), summed by the
    thread's name without its number ("credgraph-sqlite-writer", "asyncio", ...)."""
    tick = os.sysconf("SC_CLK_TCK")
    spent: collections.Counter[str] = collections.Counter()
    for thread in threading.enumerate():
        try:
            stat = Path(f"/proc/self/task/{thread.native_id}/stat").read_text()
        except OSError:
            continue  # ended meanwhile
        fields = stat.rsplit(")", 1)[1].split()
        name = thread.name.split(" (")[-1].rstrip(")").rsplit("_", 1)[0]
        spent[name] += (int(fields[11]) + int(fields[12])) / tick
    return spent


async def credgraph_round(
    start: str, parsers: ParseWorkers
) -> tuple[float, float, float, collections.Counter[str]]:
    """(wall seconds, CPU seconds of this process, CPU seconds of the parse workers, CPU
    seconds of each of this process's threads) of one crawl into a fresh store."""
    settings = CrawlerSettings(delay_seconds=0.0, allow_private_networks=True, max_retries=1)
    with tempfile.TemporaryDirectory(prefix="credgraph-vs-scrapy-") as tmp:
        async with open_store(f"sqlite:///{Path(tmp) / 'crawl.db'}") as store:
            source = Source("bench", "openbadges", (start,))
            threads = thread_cpu()
            began, cpu = time.perf_counter(), time.process_time()
            parsing = parsers.cpu_seconds
            [run] = await crawl_sources([source], store, settings, parsers=parsers)
            spent, cpu = time.perf_counter() - began, time.process_time() - cpu
            parsing = parsers.cpu_seconds - parsing
            threads = thread_cpu() - threads  # before the store's threads end with it
            if run.created < 1:
                raise SystemExit(f"credgraph crawl stored nothing: {run.status.value}")
    return spent, cpu, parsing, threads


def scrapy_round(python: str, start: str, total: int) -> float:
    with tempfile.TemporaryDirectory(prefix="credgraph-scrapy-") as tmp:
        feed, timing = Path(tmp) / "feed.jsonl", Path(tmp) / "timing.json"
        subprocess.run(
            [
                python,
                "-m",
                "scrapy",
                "runspider",
                "-L",
                "WARNING",
                str(SPIDER),
                "-a",
                f"first={start}",
                "-a",
                f"timing={timing}",
                "-o",
                f"{feed}:jsonlines",
            ],
            check=True,
            cwd=tmp,
            env={**os.environ, "PYTHONPATH": ""},
        )
        began = json.loads(timing.read_text())["began"]
        written = sum(1 for _ in feed.open())
        if written != total:
            raise SystemExit(f"Scrapy wrote {written} badges, expected {total}")
        return feed.stat().st_mtime - began


def main(python: str, rounds: int, total: int, page_size: int, floor: bool) -> None:
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(total, page_size, child), daemon=True)
    server.start()
    base = parent.recv()
    start = f"{base}/badges?page=1"
    load_before = os.getloadavg()
    ours, ours_cpu, workers_cpu, theirs, floors = [], [], [], [], []
    by_thread: list[collections.Counter[str]] = []
    # One pool for every round, as the scheduler keeps one: its start (the fork server
    # importing the parsers) falls in the first round only, as Scrapy's start-up is left out.
    parsers = ParseWorkers()
    try:
        for _ in range(rounds):
            wall, cpu, parsing, threads = asyncio.run(credgraph_round(start, parsers))
            by_thread.append(threads)
            ours.append(wall)
            ours_cpu.append(cpu)
            workers_cpu.append(parsing)
            theirs.append(scrapy_round(python, start, total))
            if floor:
                with credential_writes_left_out():
                    floors.append(asyncio.run(credgraph_round(start, parsers))[0])
    finally:
        parsers.close()
        parent.send("stop")
        server.join(10)
    load_after = os.getloadavg()
    ratio = statistics.median(o / t for o, t in zip(ours, theirs, strict=True))
    pages = (total + page_size - 1) // page_size
    print(f"{total:,} credentials in {pages} pages, {rounds} interleaved rounds")
    print(
        f"  load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}"
    )
    print(
        f"  credgraph into SQLite   median {statistics.median(ours):.2f} s "
        f"({total / statistics.median(ours):,.0f} credentials/s); rounds "
        + ", ".join(f"{x:.2f}" for x in ours)
    )
    print(
        f"    CPU (crawler and its store threads) median {statistics.median(ours_cpu):.2f} s, "
        f"{statistics.median(ours_cpu) / total * 1000:.3f} ms per credential"
    )
    names = sorted({n for t in by_thread for n in t}, key=lambda n: -by_thread[0][n])
    print(
        "    of it, by thread (medians; threads that ended during the crawl not counted): "
        + ", ".join(f"{n} {statistics.median(t[n] for t in by_thread):.2f} s" for n in names)
    )
    both = [c + w for c, w in zip(ours_cpu, workers_cpu, strict=True)]
    print(
        f"    CPU in the parse workers (parsing, not pickling) median "
        f"{statistics.median(workers_cpu):.2f} s; crawler + workers "
        f"{statistics.median(both) / total * 1000:.3f} ms per credential"
    )
    print(
        f"  Scrapy JSON-lines feed  median {statistics.median(theirs):.2f} s "
        f"({total / statistics.median(theirs):,.0f} credentials/s); rounds "
        + ", ".join(f"{x:.2f}" for x in theirs)
    )
    print(
        f"  credgraph / Scrapy      {statistics.median(ours) / statistics.median(theirs):.2f}x "
        f"(median of per-round ratios {ratio:.2f}x; target <= 1.0x)"
    )
    if floors:
        floor_ratio = statistics.median(f / t for f, t in zip(floors, theirs, strict=True))
        print(
            f"  floor: the crawl without writing credentials, median "
            f"{statistics.median(floors):.2f} s, rounds " + ", ".join(f"{x:.2f}" for x in floors)
        )
        print(f"  floor / Scrapy          {floor_ratio:.2f}x (median of per-round ratios)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scrapy-python", required=True, help="an interpreter with Scrapy")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--credentials", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument(
        "--floor", action="store_true", help="also crawl without writing credentials"
    )
    args = parser.parse_args()
    main(args.scrapy_python, args.rounds, args.credentials, args.page_size, args.floor)
