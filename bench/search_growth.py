"""Search latency on databases already loaded by `bench/scale_table.py`, through the store.

    python bench/search_growth.py /tmp/scale/0.1.db /tmp/scale/1.db /tmp/scale/10.db
    python bench/search_growth.py --runs 200 --rounds 3 a.db b.db   # sizes interleaved

Runs the scale table's three searches (`bench/store_bench.py`: "credential", "data", and
"credential <n> data" with a random n) with `store.search(..., limit=20)` in-process, `runs`
times per file and round, the files taken in turn within each round so that a change in the
machine's load falls on every size alike. Each file is opened twice: as a store keeps rankings
of common words between writes (`store/sqlite/kept_rankings.py`), and with
`CREDGRAPH_SEARCH_KEPT_RANKINGS=0`, every search ranking as the first after a write of its
kinds' rows does; and a third way keeps rankings but writes one credential before each search
(the same id, its description changed: a crawl writing credentials, which leaves the skills',
issuers' and occupations' full-text indexes and their kept rankings alone). The ways are
measured in turn; the third writes the file the first reads, so from the second round on the
first search of each text in the first way ranks once more before answering from what it
keeps (one of `--runs`). Prints p50 and p99 per search, file and way, the growth exponent
between consecutive files (log of the p50's growth over log of the credentials' growth) and
the load average. The files are opened as stores (a migration would write them: run it on
files of the current schema).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from credgraph.model import Credential
from credgraph.store import GraphStore, open_store
from credgraph.store.sqlite.kept_rankings import KEPT_RANKINGS_VARIABLE

COMMON = "data"  # bench/synthetic.py's WORDS[0]: in about half the credentials
WAYS = ("rankings kept", "first after a write", "after a credentials write")
WRITTEN = "https://bench.example/search-growth/written"  # the credential the third way rewrites


def credentials_in(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        [(count,)] = conn.execute("SELECT count(*) FROM credentials")
    finally:
        conn.close()
    return int(count)


def texts(credentials: int) -> dict[str, Callable[[], str]]:
    rng = random.Random(7)
    return {
        "one common word": lambda: "credential",
        f"{COMMON!r}": lambda: COMMON,
        "one real hit among common words": lambda: (
            f"credential {rng.randrange(credentials)} {COMMON}"
        ),
    }


async def timed(
    store: GraphStore, text: Callable[[], str], runs: int, write_first: bool = False
) -> list[float]:
    samples = []
    for n in range(runs):
        if write_first:  # not timed
            await store.upsert_credentials(
                [Credential(WRITTEN, "Data credential written", description=f"Version {n}.")]
            )
        asked = text()
        start = time.perf_counter()
        await store.search(asked, limit=20)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="databases, smallest first")
    parser.add_argument("--runs", type=int, default=200, help="searches per text, file, round")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    sizes = {path: credentials_in(path) for path in args.files}
    samples: dict[tuple[Path, str, str], list[float]] = {}
    stores: dict[tuple[Path, str], GraphStore] = {}
    for path in args.files:
        os.environ.pop(KEPT_RANKINGS_VARIABLE, None)
        stores[path, WAYS[0]] = open_store(f"sqlite:///{path}")
        os.environ[KEPT_RANKINGS_VARIABLE] = "0"
        stores[path, WAYS[1]] = open_store(f"sqlite:///{path}")
        os.environ.pop(KEPT_RANKINGS_VARIABLE, None)
        stores[path, WAYS[2]] = open_store(f"sqlite:///{path}")
    for store in stores.values():
        await store.open()
    load_before = os.getloadavg()
    try:
        asked = {path: texts(sizes[path]) for path in args.files}
        for (path, _), store in stores.items():  # warm: word counts and the pages they read
            for text in asked[path].values():
                await store.search(text(), limit=20)
        for _ in range(args.rounds):
            for (path, way), store in stores.items():
                for name, text in asked[path].items():
                    got = await timed(store, text, args.runs, write_first=way == WAYS[2])
                    samples.setdefault((path, name, way), []).extend(got)
    finally:
        for store in stores.values():
            await store.close()
    load_after = os.getloadavg()
    names = list(texts(1))
    for name in names:
        for way in WAYS:
            print(f"search, {name}, top 20, {way}")
            previous: tuple[int, float] | None = None
            for path in args.files:
                got = samples[(path, name, way)]
                p50 = statistics.median(got)
                growth = ""
                if previous is not None and sizes[path] != previous[0]:
                    exponent = math.log(p50 / previous[1]) / math.log(sizes[path] / previous[0])
                    growth = f"  growth {exponent:.2f}"
                print(
                    f"  {sizes[path]:>9,} credentials: p50 {p50:7.2f} ms  p99 "
                    f"{quantile(got, 0.99):7.2f} ms  ({len(got)} runs){growth}"
                )
                previous = (sizes[path], p50)
    print("load average before", " ".join(f"{x:.2f}" for x in load_before),
          "after", " ".join(f"{x:.2f}" for x in load_after))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
