"""The graph's counts (`stats`, which `credgraph stats`, the demo and the GraphQL `stats` read)
on SQLite files already loaded by `bench/scale_table.py`, through the store:

    python bench/stats_after_write.py /tmp/scale/1.db /tmp/scale/10.db

Per file: the store's open (a migration, if the file needs one, is part of it), a first
`stats`, `--unchanged` more on the unchanged graph, then `--writes` times one credential
written (the same id, its description changed, as a crawl's batch moves the graph's version)
followed by a `stats`. Prints each as milliseconds (p50 of the repeated ones, and the
one-credential write's p50) with the load average, one JSON line per file. The files are
written: run it on copies.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path

from credgraph.model import Credential
from credgraph.store.sqlite.store import SQLiteStore

WRITTEN = "https://bench.example/stats-after-write"


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


async def probe(path: Path, unchanged: int, writes: int) -> dict[str, object]:
    started = time.perf_counter()
    store = SQLiteStore(path)
    await store.open()
    opened = time.perf_counter() - started
    try:
        started = time.perf_counter()
        first = await store.stats()
        first_s = time.perf_counter() - started
        again = []
        for _ in range(unchanged):
            started = time.perf_counter()
            await store.stats()
            again.append(time.perf_counter() - started)
        written, after = [], []
        for n in range(writes):
            credential = Credential(WRITTEN, "Stats probe", description=f"{time.time()} {n}")
            started = time.perf_counter()
            await store.upsert_credentials([credential])
            written.append(time.perf_counter() - started)
            started = time.perf_counter()
            last = await store.stats()
            after.append(time.perf_counter() - started)
    finally:
        await store.close()
    return {
        "file": str(path),
        "credentials": first.credentials,
        "relationships": last.relationships,
        "open_ms": ms(opened),
        "first_ms": ms(first_s),
        "unchanged_p50_ms": ms(statistics.median(again)) if again else None,
        "after_write_p50_ms": ms(statistics.median(after)) if after else None,
        "after_write_ms": [ms(s) for s in after],
        "write_p50_ms": ms(statistics.median(written)) if written else None,
        "load_average": os.getloadavg()[0],
    }


async def main(paths: list[Path], unchanged: int, writes: int) -> None:
    for path in paths:
        print(json.dumps(await probe(path, unchanged, writes)), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--unchanged", type=int, default=20)
    parser.add_argument("--writes", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.paths, args.unchanged, args.writes))
