"""The scale table: store and API figures at growing graph sizes, with each operation's growth
exponent (log of the figure's growth over log of the size's growth; 1 is linear, 0 flat).

    python bench/scale_table.py                       # 10k and 100k credentials, SQLite
    python bench/scale_table.py --scales 0.1,1,10     # and 1M (a load of over ten minutes)
    python bench/scale_table.py --from-json a.json b.json   # tabulate earlier runs again
    python bench/scale_table.py --neo4j-url bolt://127.0.0.1:7792 --scales 0.1,1,10
        # the same on a Neo4j whose database may be wiped (each size reloads it)

Each size runs `bench/store_bench.py` (load, re-upsert, reads, search; the loaded file kept)
and then `bench/api_bench.py` on that file (one client, over HTTP), in their own processes;
the figures are written as JSON beside the table (--out) and printed as Markdown.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
BASE_CREDENTIALS = 100_000  # bench/synthetic.py's Shape at scale 1


def run_scale(scale: float, work: Path, runs: int, neo4j_url: str | None = None) -> dict[str, Any]:
    db, store_json, api_json = (work / f"{scale:g}{suffix}" for suffix in
                                (".db", "-store.json", "-api.json"))  # fmt: skip
    python = sys.executable
    store_at = (["--store", "neo4j", "--url", neo4j_url] if neo4j_url
                else ["--store", "sqlite", "--db", str(db)])  # fmt: skip
    api_at = ["--url", neo4j_url, "--reuse"] if neo4j_url else ["--db", str(db)]
    subprocess.run(
        [python, str(BENCH / "store_bench.py"), *store_at, "--scale", f"{scale:g}",
         "--skip-floor", "--runs", str(runs), "--json", str(store_json)],
        check=True,
    )  # fmt: skip
    subprocess.run(
        [python, str(BENCH / "api_bench.py"), *api_at, "--scale", f"{scale:g}",
         "--clients", "1", "--soak-seconds", "0", "--requests", str(runs), "--seconds", "20",
         "--json", str(api_json)],
        check=True,
    )  # fmt: skip
    store = json.loads(store_json.read_text())
    api = json.loads(api_json.read_text())
    return {"scale": scale, "store": store, "api": api}


def figures(result: dict[str, Any]) -> dict[str, float]:
    """Name -> figure (seconds, ratios, or p50 milliseconds) of one size's run."""
    store, api = result["store"], result["api"]
    out: dict[str, float] = {
        "load, wall s": store["load_s"],
        "load, CPU s": store["load_cpu_s"],
        "unchanged re-upsert, s": store["reupsert_s"],
        "peak RSS, MB": store["peak_rss_mb"],
    }
    if "load_finish_s" in store:  # the end of the SQLite bulk load: links sorted in, indexes built
        out["of the load, its end, s"] = store["load_finish_s"]
    if "load_bytes_written" in store:
        out["bytes written / database size"] = store["load_bytes_written"] / store["db_bytes"]
        out["database, MB"] = store["db_bytes"] / 1e6
    for name, (p50, _p95) in store["queries_ms"].items():
        # The keyset depth is in the name and grows with the size: one row for every size.
        key = name.split(" after ")[0] + " (deep keyset)" if " after " in name else name
        out[f"{key}, p50 ms"] = p50
    for name, per_clients in api.get("queries", {}).items():
        out[f"HTTP {name}, p50 ms"] = per_clients["1"]["http"]["p50_ms"]
    return out


def exponent(small: float, large: float, growth: float) -> float | None:
    if small <= 0 or large <= 0:
        return None
    return math.log(large / small) / math.log(growth)


def markdown(results: list[dict[str, Any]]) -> str:
    results = sorted(results, key=lambda r: r["scale"])
    sizes = [int(r["scale"] * BASE_CREDENTIALS) for r in results]
    per_size = [figures(r) for r in results]
    heads = [f"{n:,}" for n in sizes]
    spans = [f"{a // 1000:,}k→{b // 1000:,}k" for a, b in itertools.pairwise(sizes)]
    lines = [
        "| measure | " + " | ".join(heads) + " | " + " | ".join(f"exponent {s}" for s in spans) + " |",
        "|---|" + "---|" * (len(heads) + len(spans)),
    ]  # fmt: skip
    for name in per_size[0]:
        values = [f.get(name) for f in per_size]
        cells = ["" if v is None else f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}" for v in values]
        exps = []
        for (a, b), (na, nb) in zip(itertools.pairwise(values), itertools.pairwise(sizes),
                                    strict=True):  # fmt: skip
            e = exponent(a, b, nb / na) if a is not None and b is not None else None
            exps.append(f"{e:.2f}" if e is not None else "")
        lines.append(f"| {name} | " + " | ".join(cells) + " | " + " | ".join(exps) + " |")
    loads = ", ".join(f"{r['store'].get('load_average', float('nan')):.1f}" for r in results)
    lines.append("")
    lines.append(f"Load average (1 min) after each size's store run: {loads}.")
    within = [
        f"{n:,}: {e:.2f}"
        for n, r in zip(sizes, results, strict=True)
        if (e := within_run_exponent(r["store"].get("load_batches", []))) is not None
    ]
    if within:
        lines.append(
            "Growth of the credential batches within one load (the bulk load's end left out),"
            " from the batches holding its first tenth of the credentials to all of them (one"
            " run, so the machine's speed cannot differ between the sizes compared): "
            + ", ".join(within)
            + "."
        )
    return "\n".join(lines)


def within_run_exponent(batches: list[list[float]]) -> float | None:
    """The growth exponent of a load's credential batches, each [credentials, seconds], from
    the first batches holding at least a tenth of the credentials to all of them: log of the
    time's growth over log of the credentials'. None when the first batch alone holds more
    than a fifth (too coarse to tell)."""
    total = sum(n for n, _ in batches)
    if not batches or batches[0][0] * 5 > total:
        return None
    first_n, first_s = 0.0, 0.0
    for n, seconds in batches:
        first_n, first_s = first_n + n, first_s + seconds
        if first_n * 10 >= total:
            break
    return exponent(first_s, sum(s for _, s in batches), total / first_n)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", default="0.1,1", help="fractions of 100k credentials")
    parser.add_argument("--runs", type=int, default=100, help="timed runs per query")
    parser.add_argument("--work", type=Path, help="where the databases and JSON go")
    parser.add_argument("--out", type=Path, help="write all figures here as JSON")
    parser.add_argument("--from-json", nargs="+", type=Path, help="tabulate these --out files")
    parser.add_argument("--neo4j-url", help="measure this Neo4j (its database is wiped) instead")
    args = parser.parse_args()
    if args.from_json:
        results = [r for path in args.from_json for r in json.loads(path.read_text())]
    else:
        work = args.work or Path(tempfile.mkdtemp(prefix="credgraph-scale-"))
        work.mkdir(parents=True, exist_ok=True)
        results = []
        for scale in (float(s) for s in args.scales.split(",")):
            results.append(run_scale(scale, work, args.runs, args.neo4j_url))
            if args.out:  # after each size: a long run interrupted keeps what it measured
                args.out.write_text(json.dumps(results, indent=2, default=str))
    print(markdown(results))
    print(f"\nmachine: {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
