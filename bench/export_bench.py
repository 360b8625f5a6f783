"""Export benchmark: the synthetic graph (100k credentials, ~1.1M relationships at scale 1)
exported whole to every format, on SQLite or Neo4j.

Each export runs in its own process, so its peak memory (ru_maxrss) is the export's alone:
the target is under 500 MB whatever the graph size (exports stream). Printed per format:
seconds, peak MB, output MB, and for GraphML and node-link the seconds networkx takes to read
the file back (also in its own process).

    python bench/export_bench.py --store sqlite --scale 1.0
    python bench/export_bench.py --store neo4j --url bolt://127.0.0.1:7687 --scale 0.2
    python bench/export_bench.py --store sqlite --scales 0.1,0.5,1.0   # memory vs size
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_bench import load, wipe_neo4j
from synthetic import Shape

from credgraph.export import Export, Selection
from credgraph.store import open_store

console = Console(width=170)
FORMATS = {
    "graphml": "g.graphml",
    "csv": "g.zip",
    "jsonld": "g.jsonld",
    "ndjson": "g.ndjson",
    "nodelink": "g.json",
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def child_export(url: str, format_name: str, out: Path) -> dict[str, Any]:
    started = time.perf_counter()
    async with open_store(url) as store:
        export = Export(store, Selection(), format_name)
        await export.write(out)
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": peak_mb(),
        "bytes": out.stat().st_size,
        "nodes": sum(export.tally.nodes.values()),
        "edges": sum(export.tally.edges.values()),
    }


def child_read(format_name: str, path: Path) -> dict[str, Any]:
    import networkx as nx

    started = time.perf_counter()
    if format_name == "graphml":
        graph = nx.read_graphml(path)
    else:
        graph = nx.node_link_graph(json.loads(path.read_text()), edges="edges")
    return {
        "read_seconds": time.perf_counter() - started,
        "read_peak_mb": peak_mb(),
        "read_nodes": graph.number_of_nodes(),
        "read_edges": graph.number_of_edges(),
    }


def in_child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


async def prepare(store_kind: str, url: str | None, scale: float, workdir: Path) -> str:
    shape = Shape().scaled(scale)
    if store_kind == "sqlite":
        target = f"sqlite:///{workdir / f'export-{scale}.db'}"
    else:
        assert url, "--url is required for neo4j"
        await wipe_neo4j(url)
        target = url
    started = time.perf_counter()
    async with open_store(target) as store:
        await load(store, shape)
        stats = await store.stats()
    console.print(
        f"loaded {stats.credentials:,} credentials, {stats.relationships:,} "
        f"relationships into {store_kind} in {time.perf_counter() - started:.0f} s"
    )
    return target


def run_scale(
    store_kind: str, url: str | None, scale: float, formats: list[str], read_back: bool
) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="credgraph-export-bench-") as tmp:
        workdir = Path(tmp)
        target = asyncio.run(prepare(store_kind, url, scale, workdir))
        for format_name in formats:
            out = workdir / FORMATS[format_name]
            row = {
                "store": store_kind,
                "scale": scale,
                "format": format_name,
                **in_child("--child-export", target, format_name, str(out)),
            }
            if read_back and format_name in ("graphml", "nodelink"):
                row.update(in_child("--child-read", format_name, str(out)))
            rows.append(row)
            out.unlink()
            console.print(row)
    return rows


def report(rows: list[dict[str, Any]]) -> None:
    table = Table(title="credgraph export benchmark (each export in its own process)")
    for column in (
        "store",
        "scale",
        "format",
        "nodes",
        "edges",
        "seconds",
        "edges/s",
        "peak MB",
        "output MB",
        "networkx read s",
        "read peak MB",
    ):
        table.add_column(column, justify="right")
    for r in rows:
        table.add_row(
            r["store"],
            f"{r['scale']:g}",
            r["format"],
            f"{r['nodes']:,}",
            f"{r['edges']:,}",
            f"{r['seconds']:.1f}",
            f"{r['edges'] / r['seconds']:,.0f}",
            f"{r['peak_mb']:.0f}",
            f"{r['bytes'] / 1e6:.1f}",
            f"{r['read_seconds']:.1f}" if "read_seconds" in r else "-",
            f"{r['read_peak_mb']:.0f}" if "read_peak_mb" in r else "-",
        )
    console.print(table)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-export":
        url, format_name, out = sys.argv[2:5]
        print(json.dumps(asyncio.run(child_export(url, format_name, Path(out)))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--child-read":
        print(json.dumps(child_read(sys.argv[2], Path(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", choices=["sqlite", "neo4j"], required=True)
    parser.add_argument("--url", help="Neo4j bolt URL (its database is wiped)")
    parser.add_argument("--scales", default="1.0", help="comma-separated graph sizes")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--no-read-back", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    for scale in (float(s) for s in args.scales.split(",")):
        rows += run_scale(
            args.store, args.url, scale, args.formats.split(","), not args.no_read_back
        )
    report(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
