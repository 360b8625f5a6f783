"""Store benchmark: load, unchanged re-upsert, query latencies, and a raw write floor.

    python bench/store_bench.py --store sqlite            # embedded store, fresh temp file
    python bench/store_bench.py --store neo4j --url bolt://127.0.0.1:7687   # WIPES that database
    python bench/store_bench.py --store sqlite --scale 0.05                  # quick smoke run
    python bench/store_bench.py --store sqlite --db /tmp/g.db --skip-floor   # keep the loaded file

Prints a table and, with --json, writes the figures. The raw floor writes the same rows with
plain batched `executemany` (SQLite) or `UNWIND ... MERGE` (Neo4j) and minimal Python. On
Linux the load's bytes written to disk (/proc/self/io) are reported against the database file's
size: every page written once would be about 1x. The SQLite load runs inside
`SQLiteStore.bulk_load()` (an empty file: indexes built and links sorted in at its end); the
unchanged re-upsert after it is an ordinary upsert.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rich.console import Console
from rich.table import Table
from synthetic import (
    WORDS,
    Shape,
    credential_batches,
    issuers,
    occupations,
    skills,
)

from credgraph.model import CredentialType, codec
from credgraph.store import GraphStore, open_store
from credgraph.store.query import CredentialFilter, CredentialSort, SortField
from credgraph.store.sqlite.store import SQLiteStore

console = Console()


# Credentials per upsert (one transaction each). Every commit rewrites the index pages it
# dirtied, and a batch dirties pages all over the edges indexes: measured at 100k credentials
# (SQLite), bytes written / database size 6.7x with batches of 5,000, 2.8x with 25,000 and
# 2.4x with 50,000 (peak RSS 335, 525 and 770 MB).
LOAD_BATCH = 25_000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bytes_written() -> int | None:
    """Bytes this process caused to be written to storage so far (Linux), else None."""
    try:
        with open("/proc/self/io", encoding="ascii") as io:
            for line in io:
                if line.startswith("write_bytes:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


async def load(
    store: GraphStore, shape: Shape, batches: list[tuple[int, float]] | None = None
) -> tuple[dict[str, int], float]:
    """Upsert the whole synthetic graph; returns counts and seconds spent in store calls
    (generating the synthetic records is not counted). Each credential batch's size and
    seconds are appended to `batches` when given."""
    totals = {"created": 0, "updated": 0, "unchanged": 0}
    spent = 0.0
    nodes = (
        (store.upsert_issuers, issuers(shape)),
        (store.upsert_skills, skills(shape)),
        (store.upsert_occupations, occupations(shape)),
    )
    for upsert, records in nodes:
        start = time.perf_counter()
        report = await upsert(records)  # type: ignore[operator]
        spent += time.perf_counter() - start
        totals["created"] += report.created
        totals["unchanged"] += report.unchanged
    for batch in credential_batches(shape, batch=LOAD_BATCH):
        start = time.perf_counter()
        r = await store.upsert_credentials(batch)
        took = time.perf_counter() - start
        spent += took
        if batches is not None:
            batches.append((len(batch), took))
        totals["created"] += r.created
        totals["updated"] += r.updated
        totals["unchanged"] += r.unchanged
    return totals, spent


# -- raw floors -----------------------------------------------------------------------------
def _plain_doc(record: Any) -> str:
    return json.dumps(codec.to_json(record), separators=(",", ":"))


def sqlite_floor(path: Path, shape: Shape) -> float:
    """Seconds spent building plain rows and writing them (record generation not counted)."""
    from credgraph.store.sqlite.connection import connect
    from credgraph.store.sqlite.schema import migrate

    conn = connect(path)
    migrate(conn)
    now = "2026-01-01T00:00:00"

    def nodes(table: str, extra: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        cols = ("id", "name", "name_key", "content_hash", "doc", "first_seen", "updated_at", *extra)
        conn.executemany(
            f"INSERT INTO {table} (rowid, {', '.join(cols)}) VALUES (?, {', '.join('?' * len(cols))})",
            [(n + 1, *r) for n, r in enumerate(rows)],
        )
        conn.executemany(
            f"INSERT INTO {table}_fts (rowid, name, body) VALUES (?, ?, '')",
            [(n + 1, r[1]) for n, r in enumerate(rows)],
        )

    node_records = (issuers(shape), skills(shape), occupations(shape))
    spent = time.perf_counter()
    conn.execute("BEGIN")
    nodes(
        "issuers",
        ("country",),
        [
            (i.id, i.name, i.name.lower(), "", _plain_doc(i), now, now, i.country)
            for i in node_records[0]
        ],
    )
    nodes(
        "skills",
        ("framework",),
        [
            (s.id, s.name, s.name.lower(), "", _plain_doc(s), now, now, s.framework)
            for s in node_records[1]
        ],
    )
    nodes(
        "occupations",
        ("code",),
        [
            (o.id, o.name, o.name.lower(), "", _plain_doc(o), now, now, o.code)
            for o in node_records[2]
        ],
    )
    conn.execute("COMMIT")
    spent = time.perf_counter() - spent
    rowid = 0
    for batch in credential_batches(shape):
        started = time.perf_counter()
        conn.execute("BEGIN")
        rows, docs, fts, edges = [], [], [], []
        for c in batch:
            rowid += 1
            rows.append(
                (
                    rowid,
                    c.id,
                    c.name,
                    c.name.lower(),
                    c.type.value,
                    c.issuer.id if c.issuer else None,
                    c.cost.amount if c.cost else None,
                    c.duration_hours,
                    len(c.skills),
                    len(c.occupations),
                    now,
                    now,
                    now,
                )
            )
            docs.append((rowid, _plain_doc(c)))
            fts.append((rowid, c.name, c.description or ""))
            if c.issuer:
                edges.append((c.id, "ISSUED_BY", c.issuer.id, c.id))
            edges += [(c.id, "TEACHES", s.skill.id, c.id) for s in c.skills]
            edges += [(c.id, "PREPARES_FOR", o.occupation.id, c.id) for o in c.occupations]
        conn.executemany(
            "INSERT INTO credentials (rowid, id, name, name_key, type, issuer_id, cost_amount, "
            "duration_hours, skill_count, occupation_count, first_seen, updated_at, last_seen, "
            "transparency, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0,'')",
            rows,
        )
        conn.executemany("INSERT INTO credential_docs (rowid, doc) VALUES (?, ?)", docs)
        conn.executemany("INSERT INTO credentials_fts (rowid, name, body) VALUES (?, ?, ?)", fts)
        conn.executemany("INSERT INTO edges (src, type, dst, owner) VALUES (?, ?, ?, ?)", edges)
        conn.execute("COMMIT")
        spent += time.perf_counter() - started
    conn.close()
    return spent


async def neo4j_floor(url: str, shape: Shape) -> float:
    """Seconds spent in plain UNWIND ... MERGE writes (record generation not counted)."""
    from neo4j import AsyncGraphDatabase

    async with AsyncGraphDatabase.driver(url, auth=None) as driver:

        async def write(query: str, rows: list[dict[str, Any]]) -> None:
            async with driver.session() as session:
                await session.execute_write(lambda tx: tx.run(query, rows=rows))

        node_sets = (
            ("Issuer", issuers(shape)),
            ("Skill", skills(shape)),
            ("Occupation", occupations(shape)),
        )
        spent = time.perf_counter()
        for label, records in node_sets:
            for start in range(0, len(records), 5000):
                await write(
                    f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props",
                    [
                        {"id": r.id, "props": {"name": r.name, "doc": _plain_doc(r)}}
                        for r in records[start : start + 5000]
                    ],
                )
        spent = time.perf_counter() - spent
        for batch in credential_batches(shape):
            started = time.perf_counter()
            async with driver.session() as session:

                async def tx_work(tx: Any, batch: list[Any] = batch) -> None:
                    await tx.run(
                        "UNWIND $rows AS row MERGE (c:Credential {id: row.id}) SET c += row.props",
                        rows=[
                            {
                                "id": c.id,
                                "props": {
                                    "name": c.name,
                                    "type": c.type.value,
                                    "cost_amount": c.cost.amount if c.cost else None,
                                    "duration_hours": c.duration_hours,
                                    "doc": _plain_doc(c),
                                },
                            }
                            for c in batch
                        ],
                    )
                    for rel, label, pairs in (
                        ("ISSUED_BY", "Issuer", [(c.id, c.issuer.id) for c in batch if c.issuer]),
                        ("TEACHES", "Skill", [(c.id, s.skill.id) for c in batch for s in c.skills]),
                        (
                            "PREPARES_FOR",
                            "Occupation",
                            [(c.id, o.occupation.id) for c in batch for o in c.occupations],
                        ),
                    ):
                        await tx.run(
                            f"UNWIND $rows AS row MATCH (a:Credential {{id: row[0]}}) "
                            f"MATCH (b:{label} {{id: row[1]}}) MERGE (a)-[:{rel}]->(b)",
                            rows=[list(p) for p in pairs],
                        )

                await session.execute_write(tx_work)
            spent += time.perf_counter() - started
    return spent


async def wipe_neo4j(url: str) -> None:
    from neo4j import AsyncGraphDatabase

    async with AsyncGraphDatabase.driver(url, auth=None) as driver, driver.session() as session:
        # 1,000 nodes a transaction: at 1M credentials an occupation holds hundreds of
        # relationships, and 10,000 of them at once passed the transaction memory limit.
        result = await session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS"
        )
        await result.consume()


# -- queries --------------------------------------------------------------------------------
async def timed(fn: Callable[[], Awaitable[Any]], runs: int) -> tuple[float, float]:
    await fn()  # warm
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


async def query_latencies(
    store: GraphStore, shape: Shape, runs: int
) -> dict[str, tuple[float, float]]:
    rng = random.Random(7)

    def cred() -> str:
        i = rng.randrange(shape.credentials)
        return f"https://issuer{i % shape.issuers}.example/credentials/{i}"

    async def neighbourhood() -> None:
        async for _ in store.neighbourhood(
            [f"https://issuer{rng.randrange(shape.issuers)}.example"], 2
        ):
            pass

    deep_filter = CredentialFilter(
        types=(CredentialType.BADGE, CredentialType.CERTIFICATE, CredentialType.COURSE),
        max_cost=2000.0,
    )
    deep_sort = CredentialSort(SortField.COST, descending=True)
    cursor = None
    depth = min(5000, shape.credentials // 10)
    walked = 0
    while walked < depth:
        page = await store.list_credentials(
            deep_filter, deep_sort, first=min(1000, depth - walked), after=cursor
        )
        walked += len(page.items)
        cursor = page.end_cursor
        if not page.has_next_page:
            break

    def occ() -> str:
        return f"onet:{11 + (i := rng.randrange(shape.occupations)) % 40:02d}-{1000 + i:04d}.00"

    common = WORDS[0]  # in one credential name of every 16, and "credential" in all of them

    def one_hit() -> str:
        return f"credential {rng.randrange(shape.credentials)} {common}"

    return {
        "search, one common word, top 20": await timed(
            lambda: store.search("credential", limit=20), runs
        ),
        f"search, {common!r}, top 20": await timed(lambda: store.search(common, limit=20), runs),
        "search with one real hit among common words": await timed(
            lambda: store.search(one_hit(), limit=20), runs
        ),
        "credential with issuer, skills, occupations": await timed(
            lambda: store.get_credentials([cred()]), runs
        ),
        "compare two credentials": await timed(lambda: store.compare([cred(), cred()]), runs),
        "top-10 similar": await timed(lambda: store.similar(cred(), 10), runs),
        "50 credentials for an occupation": await timed(
            lambda: store.list_credentials(CredentialFilter(occupations=(occ(),)), first=50), runs
        ),
        "2-hop neighbourhood of an issuer": await timed(neighbourhood, max(10, runs // 5)),
        f"filtered sorted page of 20 after {walked:,} (keyset) with totalCount": await timed(
            lambda: store.list_credentials(deep_filter, deep_sort, first=20, after=cursor), runs
        ),
    }


async def run(
    kind: str, url: str | None, shape: Shape, runs: int, skip_floor: bool, db: Path | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"store": kind, "shape": shape.__dict__}
    tmp = Path(tempfile.mkdtemp(prefix="credgraph-bench-"))
    db_path = db or tmp / "bench.db"
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):  # a fresh load, even into a kept file
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        floor_path, url = tmp / "floor.db", f"sqlite:///{db_path}"
        if not skip_floor:
            out["raw_floor_s"] = sqlite_floor(floor_path, shape)
    else:
        assert url, "--url is required for neo4j"
        if not skip_floor:
            await wipe_neo4j(url)
            async with open_store(url):  # same constraints and indexes as the adapter
                pass
            out["raw_floor_s"] = await neo4j_floor(url, shape)
        await wipe_neo4j(url)
    async with open_store(url) as store:
        written, cpu = bytes_written(), time.process_time()
        started = time.perf_counter()
        batches: list[tuple[int, float]] = []
        out["load_batches"] = batches  # (credentials, seconds) of each batch
        if isinstance(store, SQLiteStore):
            # Into an empty file: indexes built and links sorted in once, at the end (bulk.py).
            async with store.bulk_load():
                out["load_counts"], out["load_s"] = await load(store, shape, batches)
                finishing = time.perf_counter()
            # Leaving the block sorted the staged links in and built the deferred indexes.
            out["load_finish_s"] = time.perf_counter() - finishing
            out["load_s"] += out["load_finish_s"]
        else:
            out["load_counts"], out["load_s"] = await load(store, shape, batches)
        if isinstance(store, SQLiteStore):
            # What is still in the WAL reaches the database file: part of the load's writes.
            checkpoint = time.perf_counter()
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            out["load_s"] += time.perf_counter() - checkpoint
        out["load_wall_s"] = time.perf_counter() - started  # with generating the records
        out["load_cpu_s"] = time.process_time() - cpu
        if isinstance(store, SQLiteStore) and written is not None:
            after = bytes_written()
            assert after is not None
            out["load_bytes_written"] = after - written
            out["db_bytes"] = db_path.stat().st_size
        out["reupsert_counts"], out["reupsert_s"] = await load(store, shape)
        stats = await store.stats()
        out["stats"] = {
            k: getattr(stats, k)
            for k in ("issuers", "credentials", "skills", "occupations", "relationships")
        }
        out["queries_ms"] = await query_latencies(store, shape, runs)
    out["peak_rss_mb"] = peak_rss_mb()
    out["load_average"] = os.getloadavg()[0]
    return out


def report(results: dict[str, Any]) -> None:
    table = Table(title=f"credgraph store benchmark: {results['store']}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    s = results["stats"]
    table.add_row(
        "graph", f"{s['credentials']:,} credentials, {s['relationships']:,} relationships"
    )
    if "raw_floor_s" in results:
        table.add_row("raw floor load", f"{results['raw_floor_s']:.1f} s")
    table.add_row(
        "adapter initial load (CPU)", f"{results['load_s']:.1f} s ({results['load_cpu_s']:.1f})"
    )
    if "load_finish_s" in results:
        table.add_row("  of it, the end of the bulk load", f"{results['load_finish_s']:.1f} s")
    if "load_bytes_written" in results:
        table.add_row(
            "  bytes written / database size",
            f"{results['load_bytes_written'] / 1e9:.2f} GB / {results['db_bytes'] / 1e9:.2f} GB "
            f"= {results['load_bytes_written'] / results['db_bytes']:.1f}x",
        )
    if "raw_floor_s" in results:
        table.add_row(
            "  ratio to raw floor (target <= 1.5)",
            f"{results['load_s'] / results['raw_floor_s']:.2f}",
        )
    table.add_row("unchanged re-upsert", f"{results['reupsert_s']:.1f} s")
    table.add_row(
        "  ratio to initial load (target <= 0.35)",
        f"{results['reupsert_s'] / results['load_s']:.2f}",
    )
    for name, (p50, p95) in results["queries_ms"].items():
        table.add_row(name, f"p50 {p50:.2f} ms  p95 {p95:.2f} ms")
    table.add_row("peak RSS of the process", f"{results['peak_rss_mb']:.0f} MB")
    table.add_row("load average (1 min) after the run", f"{results['load_average']:.1f}")
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", choices=["sqlite", "neo4j"], required=True)
    parser.add_argument("--url", help="Neo4j bolt URL (its database is wiped)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full-size graph")
    parser.add_argument("--runs", type=int, default=200, help="timed runs per query")
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--db", type=Path, help="SQLite: load into this file and keep it")
    args = parser.parse_args()
    shape = Shape() if args.scale == 1.0 else Shape().scaled(args.scale)
    results = asyncio.run(run(args.store, args.url, shape, args.runs, args.skip_floor, args.db))
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
