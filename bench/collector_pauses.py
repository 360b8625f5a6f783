"""How long the cyclic garbage collector stops a serving process that keeps the name index.

    python bench/collector_pauses.py /tmp/scale/1.db /tmp/scale/10.db   # files of scale_table.py

For each SQLite file a child process, set up as `credgraph serve` sets itself up
(`credgraph.collector.tune_for_serving`), reads the credentials' names and builds the
resolver's name index (`credgraph.resolving.index.NameIndex`) in a thread, as the API does,
the event loop ticking every millisecond meanwhile. It prints the build's time, the event
loop's longest wait during it, the resident memory the process gained from before it read the
names to after it dropped them, the index built (the allocator keeps some of what the names
took), the objects the collector tracks once it is built, and how long one full collection
takes then: what every automatic full collection costs the event loop from then on, for as
long as the process serves (a thread collecting holds the GIL). Prints the load average;
nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table


def rss_mib() -> float:
    """The process's resident memory now, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def child(path: Path) -> dict[str, Any]:
    from credgraph.collector import tune_for_serving
    from credgraph.resolving.service import _index_of
    from credgraph.store import open_store

    tune_for_serving()
    rss_before = rss_mib()
    tracked_before = len(gc.get_objects())
    async with open_store(f"sqlite:///{path}") as store:
        names = await store.credential_names()
    longest = 0.0
    building = True

    async def tick() -> None:
        nonlocal longest
        last = time.perf_counter()
        while building:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            longest = max(longest, now - last)
            last = now

    ticking = asyncio.create_task(tick())
    started = time.perf_counter()
    index = await asyncio.to_thread(_index_of, names)  # as the API builds it
    built = time.perf_counter() - started
    building = False
    await ticking
    del names
    gc.collect()  # what reading the names and the build left
    rss_after = rss_mib()
    tracked = len(gc.get_objects()) - tracked_before
    started = time.perf_counter()
    gc.collect()
    collection = time.perf_counter() - started
    return {
        "credentials": index.total,  # rows read: a count of the store may time out when busy
        "indexed": index.total,
        "build_s": built,
        "longest_wait_ms": longest * 1000,
        "index_mib": rss_after - rss_before,
        "tracked": tracked,
        "full_collection_ms": collection * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(child(args.files[0]))))
        return
    table = Table(title="The name index in a serving process: the collector's pauses")
    for column in (
        "credentials",
        "build s",
        "loop's longest wait during build, ms",
        "index MiB",
        "objects tracked more",
        "one full collection, ms",
    ):
        table.add_column(column)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    for path in args.files:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        table.add_row(
            f"{r['credentials']:,}",
            f"{r['build_s']:.1f}",
            f"{r['longest_wait_ms']:.0f}",
            f"{r['index_mib']:.0f}",
            f"{r['tracked']:,}",
            f"{r['full_collection_ms']:.0f}",
        )
    Console(width=150).print(table)
    print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
