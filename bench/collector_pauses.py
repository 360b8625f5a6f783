"""How long the cyclic garbage collector holds a serving process once it keeps a large index.

    python bench/collector_pauses.py /tmp/scale/1.db /tmp/scale/10.db   # files of scale_table.py

For each SQLite file, two child processes set up as `credgraph serve` sets itself up
(`credgraph.collector.tune_for_serving`) read the credentials' names and build the resolver's
name index (`credgraph.resolving.index.NameIndex`) in a thread, the event loop ticking every
millisecond meanwhile:

- **as before**: built with the collector as it runs in a serving process, nothing frozen;
- **now**: built as the API builds it (`credgraph.collector.building_long_lived`: collector
  paused while building, the index frozen once built).

Each prints the build's time, the event loop's longest wait during it, the resident memory
the index added (the names read are dropped first), the objects the
collector still tracks once the index is built, and how long one full collection takes then:
what every automatic full collection costs the loop from then on (a thread collecting holds
the GIL). The "now" child then drops its index and prints the frozen objects before and after:
reference counting frees a frozen index, so a rebuilt one does not leak the old. Prints the
load average; nothing is asserted.
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

MODES = ("as before", "now")


async def child(mode: str, path: Path) -> dict[str, Any]:
    from credgraph.collector import tune_for_serving
    from credgraph.resolving.index import NameIndex
    from credgraph.resolving.service import _long_lived
    from credgraph.store import open_store

    tune_for_serving()
    async with open_store(f"sqlite:///{path}") as store:
        names = await store.credential_names()
        stats = await store.stats()
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

    rss_before = rss_mib()
    ticking = asyncio.create_task(tick())
    started = time.perf_counter()
    build = NameIndex.build if mode == "as before" else _long_lived
    index: NameIndex | None = await asyncio.to_thread(build, names)
    built = time.perf_counter() - started
    building = False
    await ticking
    del names
    rss_after = rss_mib()
    tracked = len(gc.get_objects())
    started = time.perf_counter()
    gc.collect()
    collection = time.perf_counter() - started
    frozen = gc.get_freeze_count()
    index = None
    return {
        "credentials": stats.credentials,
        "build_s": built,
        "longest_wait_ms": longest * 1000,
        "tracked": tracked,
        "index_mib": rss_after - rss_before,
        "full_collection_ms": collection * 1000,
        "frozen_with_index": frozen,
        "frozen_after_dropping_it": gc.get_freeze_count() if index is None else frozen,
    }


def rss_mib() -> float:
    """The process's resident memory now, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(child(args.child, args.files[0]))))
        return
    table = Table(title="The name index in a serving process: the collector's pauses")
    for column in (
        "credentials",
        "built",
        "build s",
        "loop's longest wait during build, ms",
        "index MiB",
        "objects tracked after",
        "one full collection after, ms",
        "frozen objects: with index / dropped",
    ):
        table.add_column(column)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    for path in args.files:
        for mode in MODES:
            out = subprocess.run(
                [sys.executable, __file__, "--child", mode, str(path)],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            ).stdout
            r = json.loads(out.strip().splitlines()[-1])
            table.add_row(
                f"{r['credentials']:,}",
                mode,
                f"{r['build_s']:.1f}",
                f"{r['longest_wait_ms']:.0f}",
                f"{r['index_mib']:.0f}",
                f"{r['tracked']:,}",
                f"{r['full_collection_ms']:.0f}",
                f"{r['frozen_with_index']:,} / {r['frozen_after_dropping_it']:,}",
            )
    Console(width=150).print(table)
    print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
