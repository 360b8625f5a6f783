"""How much memory one serving process holds once it has answered `resolveCredentials` and
`matchJob(text:)`, and where it goes: the resolver's name index and the matching vocabulary.

    python bench/serving_memory.py --db /tmp/scale/1.db             # 100k credentials
    python bench/serving_memory.py --db /tmp/scale/10.db            # 1M (about 2 minutes)
    python bench/serving_memory.py --db /tmp/scale/1.db --trace     # what each structure holds
    python bench/serving_memory.py --db /tmp/scale/1.db --trace --lines 25  # by source line
    python bench/serving_memory.py --db /tmp/scale/1.db --runs 50   # and p50 / p99 of each
    python bench/serving_memory.py --store-url bolt://127.0.0.1:7792 --scale 10  # Neo4j, 1M

The SQLite files are those of `bench/scale_table.py` (`N.db` holds N × 100,000 credentials;
`--scale` is read from the file's name). The process sets itself up as `credgraph serve` does
(`tune_for_serving`) and builds the app `credgraph serve` runs, in-process (httpx's ASGI
transport: no sockets). It POSTs one `resolveCredentials` of 20 names (from
`bench/resolve_names/labelled.json`) and one `matchJob(text:)` of an ad naming eight of the
graph's skills and an occupation code, each asked again while its index builds, as a client
would be told to. Then it prints:

- the process's resident memory (`VmRSS`), its peak (`VmHWM`) and its anonymous part
  (`RssAnon`: the heap, without the files mapped), from /proc/self/status, before the app
  and after each answer;
- the objects the cyclic collector tracks, and how long one full `gc.collect()` takes;
- with `--trace` (tracemalloc on from the start: slower, and its own bookkeeping inflates the
  resident figures, so read those from a run without it): the bytes Python allocated that
  each structure holds (the blocks alive, less those alive once it is dropped), and with
  `--lines N` the N source lines that allocated most of each;
- with `--runs N`: p50 and p99 of N more requests of each kind, and the load average.

A Neo4j database is one `bench/store_bench.py --store neo4j --scale N` loaded. The store is
only read. Nothing is asserted.
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
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent / "src"), str(ROOT.parent), str(ROOT)]

import httpx  # noqa: E402
from bench.synthetic import Shape, occupation, skill  # noqa: E402

# A build still running answers TIMEOUT, which Strawberry would log with its traceback
# (`credgraph serve` silences it the same way, `api/http/logs.py`).
logging.getLogger("strawberry.execution").disabled = True

RESOLVE = """query($names: [String!]!) { resolveCredentials(names: $names, first: 3) {
  input matches { confidence method credential { id name } } } }"""
MATCH = """query($text: String!) { matchJob(text: $text, first: 10) {
  skills { id name } occupations { id }
  credentials { credential { id name } coverage score why } } }"""


def status_mib(field: str) -> float:
    """A figure of /proc/self/status in MiB (Linux): VmRSS now, VmHWM its peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory(label: str) -> dict[str, Any]:
    return {
        "at": label,
        "rss_mib": status_mib("VmRSS"),
        "peak_mib": status_mib("VmHWM"),
        "anon_mib": status_mib("RssAnon"),  # the heap: Python's objects, SQLite's page cache
    }


def names_asked() -> list[str]:
    data = json.loads((ROOT / "resolve_names" / "labelled.json").read_text(encoding="utf-8"))
    pool = [n for names in data["held"].values() for n in names] + list(data["not_held"])
    return random.Random(20).sample(pool, 20)


def ad_text(shape: Shape) -> str:
    """About 1,500 characters of real ads naming eight skills of the graph and an occupation
    code (as `bench/match_bench.py` asks)."""
    ads = json.loads((ROOT / "job_ads" / "ads.json").read_text(encoding="utf-8"))["ads"]
    block = shape.skills // shape.topics
    wanted = [skill(shape, 7 * block + i).name for i in range(8)]
    text = (ads[23]["text"] + "\n" + ads[36]["text"])[:1300]
    code = occupation(shape, 7).code
    return text + "\nYou will need: " + ", ".join(wanted) + f". O*NET-SOC {code}."


async def ask(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The answer's data, asking again each second while an index builds (TIMEOUT)."""
    body = json.dumps({"query": query, "variables": variables})
    while True:
        response = await client.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
        payload: dict[str, Any] = response.json()
        errors = payload.get("errors") or []
        if not errors:
            return payload["data"]
        if errors[0].get("extensions", {}).get("code") != "TIMEOUT":
            raise SystemExit(str(errors[0]))
        await asyncio.sleep(1.0)


async def counted(store: Any) -> tuple[int, int]:
    """The graph's credentials and skills; a count cut by the store's deadline on a busy
    machine (it counts a 6 GB file) is asked again."""
    from credgraph.errors import QueryTimeout

    for _ in range(5):
        try:
            stats = await store.stats()
            return stats.credentials, stats.skills
        except QueryTimeout:
            continue
    return -1, -1


def traced_bytes() -> int:
    return tracemalloc.get_traced_memory()[0]


def top_lines(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, n: int) -> list[str]:
    """The `n` source lines whose blocks alive in `before` and gone in `after` weigh most."""
    stats = before.compare_to(after, "lineno")
    out = []
    for stat in stats[:n]:
        frame = stat.traceback[0]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        out.append(f"{stat.size_diff / 2**20:9.1f} MiB {stat.count_diff:>11,} blocks  {where}")
    return out


async def timed(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], runs: int
) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await ask(client, query, variables)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


async def probe(args: argparse.Namespace) -> dict[str, Any]:
    from credgraph.api.app import create_app
    from credgraph.api.settings import load_settings
    from credgraph.collector import tune_for_serving
    from credgraph.store import open_store

    if args.trace:
        tracemalloc.start()
    out: dict[str, Any] = {"memory": [memory("before the app")]}
    url = args.store_url or f"sqlite:///{args.db}"
    settings = load_settings(
        env={"CREDGRAPH_RATE_LIMIT_PER_IP": "0"}, store_url=url, access_log="off"
    )
    async with open_store(url) as store:
        out["credentials"], out["skills"] = await counted(store)
        app = create_app(settings, store=store)
        tune_for_serving()  # what `credgraph serve` does once the app is made
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://probe", timeout=600
        ) as c:
            resolve_vars = {"names": names_asked()}
            match_vars = {"text": ad_text(Shape().scaled(args.scale))}
            started = time.perf_counter()
            resolved = await ask(c, RESOLVE, resolve_vars)
            out["resolve_first_s"] = time.perf_counter() - started
            out["resolved_matches"] = sum(len(r["matches"]) for r in resolved["resolveCredentials"])
            out["memory"].append(memory("after resolveCredentials"))
            started = time.perf_counter()
            matched = await ask(c, MATCH, match_vars)
            out["match_first_s"] = time.perf_counter() - started
            out["skills_found"] = len(matched["matchJob"]["skills"])
            out["memory"].append(memory("after matchJob(text:)"))
            gc.collect()
            out["memory"].append(memory("after a full collection"))
            out["tracked"] = len(gc.get_objects())
            started = time.perf_counter()
            gc.collect()
            out["full_collection_ms"] = (time.perf_counter() - started) * 1000
            if args.runs:
                out["resolve_p50_p99_ms"] = await timed(c, RESOLVE, resolve_vars, args.runs)
                out["match_p50_p99_ms"] = await timed(c, MATCH, match_vars, args.runs)
                out["load_average"] = os.getloadavg()
            if args.trace:
                out["traced"] = dropped_one_by_one(
                    args.lines,
                    (
                        ("name index", drop_name_indexes),
                        ("vocabulary", drop_vocabularies),
                    ),
                )
    return out


def drop_name_indexes() -> None:
    # Keyed by the store as the app wraps it (timing its reads): every one this process has.
    from credgraph.resolving import service

    for cache in list(service._caches.values()):
        cache._built = None


def drop_vocabularies() -> None:
    from credgraph.match.index import VOCABULARIES

    for store in list(VOCABULARIES._entries.keys()):
        VOCABULARIES.forget(store)


def dropped_one_by_one(lines: int, structures: Any) -> list[dict[str, Any]]:
    """What each structure holds: traced bytes and tracked objects before and after it is
    dropped."""
    found = []
    for name, drop in structures:
        gc.collect()
        before, tracked = tracemalloc.take_snapshot(), len(gc.get_objects())
        held = traced_bytes()
        drop()
        gc.collect()
        after = tracemalloc.take_snapshot()
        found.append(
            {
                "structure": name,
                "traced_mib": (held - traced_bytes()) / 2**20,
                "tracked_objects": tracked - len(gc.get_objects()),
                "lines": top_lines(before, after, lines),
            }
        )
    return found


def report(out: dict[str, Any]) -> None:
    print(f"{out['credentials']:,} credentials, {out['skills']:,} skills")
    print(
        f"resolveCredentials of 20 names: first answer after {out['resolve_first_s']:.1f} s, "
        f"{out['resolved_matches']} matches; matchJob(text:): first answer after "
        f"{out['match_first_s']:.1f} s, {out['skills_found']} skills"
    )
    for m in out["memory"]:
        print(
            f"  {m['at']:<28} VmRSS {m['rss_mib']:7.0f} MiB   VmHWM {m['peak_mib']:7.0f} MiB"
            f"   RssAnon {m['anon_mib']:7.0f} MiB"
        )
    print(
        f"objects the collector tracks: {out['tracked']:,}; "
        f"one full collection: {out['full_collection_ms']:.0f} ms"
    )
    if "resolve_p50_p99_ms" in out:
        r, m = out["resolve_p50_p99_ms"], out["match_p50_p99_ms"]
        print(f"resolveCredentials of 20 names p50 {r[0]:.1f} ms, p99 {r[1]:.1f} ms")
        print(f"matchJob(text:) p50 {m[0]:.1f} ms, p99 {m[1]:.1f} ms")
    for t in out.get("traced", []):
        print(
            f"{t['structure']}: {t['traced_mib']:.1f} MiB traced, "
            f"{t['tracked_objects']:,} objects tracked"
        )
        for line in t["lines"]:
            print("   ", line)
    print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", type=Path, help="a SQLite file of scale_table.py")
    where.add_argument(
        "--store-url", help="another store (bolt://...) loaded by store_bench.py --scale N"
    )
    parser.add_argument(
        "--scale", type=float, help="its Shape's scale (default: the file's name; 1 for a URL)"
    )
    parser.add_argument("--trace", action="store_true", help="tracemalloc each structure")
    parser.add_argument("--lines", type=int, default=0, help="with --trace: top source lines")
    parser.add_argument("--runs", type=int, default=0, help="timed requests of each kind")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    if args.scale is None:
        try:
            args.scale = float(args.db.stem) if args.db else 1.0
        except ValueError:
            args.scale = 1.0
    return args


def main() -> None:
    args = parse_args()
    out = asyncio.run(probe(args))
    report(out)
    if args.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
