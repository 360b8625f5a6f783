"""The SQLite bulk load of the synthetic graph, statement by statement: `store_bench.py`'s load
into a fresh file inside `SQLiteStore.bulk_load()`, with the wall time of every SQL statement
of the credentials' upserts (keyed by its first five words) per credential, the time in store
calls, the load's end, and the bytes written against the file's size.

    python bench/load_statements.py [--scale 1]      # 100k credentials; --scale 10: 1M

Run it at two scales to see which statement's cost per credential grows with the graph (the
issue's growth exponent for the load is read off `store_bench.py`'s totals).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import store_bench  # noqa: E402
from synthetic import Shape  # noqa: E402
from write_statements import TimedConnection  # noqa: E402

from credgraph.model import Credential  # noqa: E402
from credgraph.store.sqlite import SQLiteStore, writes  # noqa: E402


async def main(scale: float) -> None:
    spent: collections.Counter[str] = collections.Counter()
    in_upserts = [0.0]
    real = writes.upsert_credentials

    def timed(
        conn: sqlite3.Connection, batch: Sequence[Credential], now: str, *, staged: bool = False
    ) -> tuple[writes.Counts, list[Any]]:
        started = time.perf_counter()
        try:
            timed_conn = TimedConnection(conn, spent, time.perf_counter)
            return real(timed_conn, batch, now, staged=staged)  # type: ignore[arg-type]
        finally:
            in_upserts[0] += time.perf_counter() - started

    writes.upsert_credentials = timed  # type: ignore[assignment]
    written = store_bench.bytes_written()
    with tempfile.TemporaryDirectory(prefix="credgraph-load-statements-") as tmp:
        store = SQLiteStore(Path(tmp) / "g.db")
        await store.open()
        try:
            async with store.bulk_load():
                _counts, calls = await store_bench.load(store, Shape().scaled(scale))
                ending = time.perf_counter()
            end = time.perf_counter() - ending
        finally:
            await store.close()
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
    after = store_bench.bytes_written()
    credentials = round(Shape().scaled(scale).credentials)
    print(f"{credentials:,} credentials, load average {os.getloadavg()[0]:.2f}")
    print(f"  store calls {calls:.1f} s (in upsert_credentials {in_upserts[0]:.1f} s)")
    print(f"  the load's end {end:.1f} s; load {calls + end:.1f} s")
    if written is not None and after is not None:
        print(f"  bytes written {(after - written) / 1e9:.2f} GB, {(after - written) / size:.2f}x")
    for key, seconds in spent.most_common(12):
        print(f"  {seconds:8.2f} s {seconds * 1e6 / credentials:7.2f} us a credential  {key}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="1: 100k credentials")
    asyncio.run(main(parser.parse_args().scale))
