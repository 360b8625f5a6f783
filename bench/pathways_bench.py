"""Pathway search benchmark: the 100k-credential synthetic graph with preparation links
(chains, branches, advanced standing, part-of, some cycles), then `pathways` to a credential
and to an occupation, through the store and through the GraphQL schema in-process.

    python bench/pathways_bench.py --store sqlite                                # fresh temp file
    python bench/pathways_bench.py --store neo4j --url bolt://127.0.0.1:7687     # WIPES it
    python bench/pathways_bench.py --store sqlite --scale 0.05                   # quick smoke run

Prints p50/p95 in milliseconds with the load average before and after. Target: p50 <= 30 ms.
On SQLite a search reads links on demand while the cached adjacency is stale (after a write)
and the store rebuilds it in the background; both figures and the build are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_bench import wipe_neo4j
from synthetic import (
    Shape,
    credential_batches,
    credential_id,
    issuers,
    occupation,
    occupations,
    skills,
)

from credgraph.api import make_context
from credgraph.api.schema import build_schema
from credgraph.model.stacking import PathwayGoal
from credgraph.store import GraphStore, open_store
from credgraph.store.sqlite.pathways import AdjacencyCache, find
from credgraph.store.sqlite.store import SQLiteStore

QUERY = """
query ($from: ID!, $to: ID!) {
  pathways(from: $from, to: $to, maxSteps: 6, first: 5) {
    totalHours steps { via credential { id name durationHours } }
  }
}
"""


async def load(store: GraphStore, shape: Shape) -> float:
    start = time.perf_counter()
    await store.upsert_issuers(issuers(shape))
    await store.upsert_skills(skills(shape))
    await store.upsert_occupations(occupations(shape))
    for batch in credential_batches(shape, stacked=True):
        await store.upsert_credentials(batch)
    return time.perf_counter() - start


def pairs(shape: Shape, n: int, seed: int = 7) -> list[tuple[int, int]]:
    """(start, levels up) pairs whose target exists."""
    rng = random.Random(seed)
    top = shape.credentials - 6 * shape.topics
    return [(rng.randrange(top), rng.randrange(2, 7)) for _ in range(n)]


async def timed(call: Callable[[int], Awaitable[Any]], runs: int) -> tuple[float, float, int]:
    await call(0)
    samples, found = [], 0
    for n in range(runs):
        start = time.perf_counter()
        if await call(n):
            found += 1
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)], found


async def live_reads(
    store: SQLiteStore, shape: Shape, chosen: list[tuple[int, int]], runs: int
) -> tuple[float, float]:
    """The search as it runs while the adjacency is stale (a crawl writing): links read from
    the database as the search reaches each credential, on a connection of our own."""
    conn = sqlite3.connect(store.path)
    cache = AdjacencyCache()  # never built: every search reads links on demand
    samples = []
    for n in range(runs):
        i, k = chosen[n]
        goal = PathwayGoal(frozenset({credential_id(shape, i + k * shape.topics)}))
        start = time.perf_counter()
        find(conn, cache, credential_id(shape, i), goal, 6, 5)
        samples.append((time.perf_counter() - start) * 1000)
    conn.close()
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


async def run(kind: str, url: str | None, shape: Shape, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if kind == "neo4j":
            assert url, "--url is required for neo4j"
            await wipe_neo4j(url)
            target = url
        else:
            target = f"sqlite:///{Path(tmp) / 'pathways.db'}"
        async with open_store(target) as store:
            seconds = await load(store, shape)
            print(
                f"loaded {shape.credentials} credentials with preparation links in {seconds:.1f} s"
            )
            chosen = pairs(shape, runs + 1)
            start = time.perf_counter()
            i, k = chosen[0]
            await store.pathways(
                credential_id(shape, i),
                PathwayGoal(frozenset({credential_id(shape, i + k * shape.topics)})),
                6,
                5,
            )
            print(f"first search after the load: {(time.perf_counter() - start) * 1000:.1f} ms")
            if isinstance(store, SQLiteStore):
                live = await live_reads(store, shape, chosen, runs)
                print(
                    f"  SQLite, links read on demand (adjacency stale): p50 {live[0]:.2f} ms, "
                    f"p95 {live[1]:.2f} ms"
                )
                start = time.perf_counter()
                await store.warm_pathways()
                print(f"  SQLite adjacency build: {(time.perf_counter() - start) * 1000:.0f} ms")
            occ_block = max(1, shape.occupations // shape.topics)

            async def to_credential(n: int) -> Any:
                i, k = chosen[n]
                goal = PathwayGoal(frozenset({credential_id(shape, i + k * shape.topics)}))
                return await store.pathways(credential_id(shape, i), goal, 6, 5)

            async def to_occupation(n: int) -> Any:
                i, k = chosen[n]
                topic = (i + k * shape.topics) % shape.topics
                occ = occupation(shape, (topic * occ_block) % shape.occupations)
                return await store.pathways(
                    credential_id(shape, i), PathwayGoal(occupation=occ.id), 6, 5
                )

            schema = build_schema()

            async def graphql(n: int) -> Any:
                i, k = chosen[n]
                result = await schema.execute(
                    QUERY,
                    variable_values={
                        "from": credential_id(shape, i),
                        "to": credential_id(shape, i + k * shape.topics),
                    },
                    context_value=make_context(store),
                )
                assert not result.errors, result.errors
                return result.data and result.data["pathways"]

            before = os.getloadavg()
            rows = [
                (name, *await timed(fn, runs))
                for name, fn in (
                    ("to a credential (store)", to_credential),
                    ("to an occupation (store)", to_occupation),
                    ("to a credential (GraphQL in-process)", graphql),
                )
            ]
            after = os.getloadavg()
            print(f"{kind}: {runs} runs each, maxSteps 6, first 5")
            for name, p50, p95, found in rows:
                print(f"  {name:40s} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   found {found}/{runs}")
            print(
                f"load average before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, "
                f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f} ({os.cpu_count()} cores)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", choices=["sqlite", "neo4j"], required=True)
    parser.add_argument("--url", help="Neo4j bolt URL (its database is wiped)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full-size graph")
    parser.add_argument("--runs", type=int, default=200, help="timed runs per query")
    args = parser.parse_args()
    shape = Shape() if args.scale == 1.0 else Shape().scaled(args.scale)
    asyncio.run(run(args.store, args.url, shape, args.runs))


if __name__ == "__main__":
    main()
