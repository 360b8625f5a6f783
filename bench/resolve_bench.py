"""How well and how fast `resolveCredentials` reads resume-style credential names, on the
100k-credential synthetic graph (bench/synthetic.py) with a catalogue of real certifications
beside it (bench/resolve_names/catalog.json, sources in SOURCES.md).

    .venv/bin/python bench/resolve_bench.py                 # builds the graph in a temp dir
    .venv/bin/python bench/resolve_bench.py --db /tmp/g.db  # reuses (or builds) that file
    .venv/bin/python bench/resolve_bench.py --blind         # accuracy on the blind set
    .venv/bin/python bench/resolve_bench.py --blind2        # accuracy on the second blind set
    .venv/bin/python bench/resolve_bench.py --blind --names-only  # count the set, resolve nothing

Prints, with the load average:
- top-1 accuracy on the labelled names the graph holds (and how many of those were matched
  above 0.5);
- the share of names it does not hold that got a match above 0.5 (false matches);
- with `--blind`, both figures on `blind.json` instead of `labelled.json` (names written without
  the resolver's code and committed before it ran on them; SOURCES.md), and again on the blind
  names that are not also in `labelled.json` (the same spelling, ignoring case);
- with `--blind2`, the same on `blind2.json`, the second blind set (written once `blind.json`
  had guided development), and on its names in neither `labelled.json` nor `blind.json`;
- the timed calls draw their names from `labelled.json` whichever set is measured;
- the time to build the name index once, and p50/p95 of `resolveCredentials` of 20 names
  through the GraphQL schema in-process (the index already built, as in a serving process).

Nothing is asserted: the figures are for docs/benchmarks.md and for judging changes.
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
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rich.console import Console
from rich.table import Table
from store_bench import load
from synthetic import Shape

from credgraph.api import make_context
from credgraph.api.schema import build_schema
from credgraph.model import Credential, CredentialType, Issuer
from credgraph.resolving import resolve
from credgraph.resolving.service import index_cache
from credgraph.store import GraphStore, open_store

HERE = Path(__file__).resolve().parent / "resolve_names"
console = Console()
QUERY = """
query ($names: [String!]!) {
  resolveCredentials(names: $names, first: 3) {
    input matches { confidence method credential { id name } }
  }
}
"""


def catalog() -> list[Credential]:
    data = json.loads((HERE / "catalog.json").read_text(encoding="utf-8"))
    issuers = {
        i["name"]: Issuer(
            i["url"], i["name"], url=i["url"], alternate_names=tuple(i["alternate_names"])
        )
        for i in data["issuers"]
    }
    return [
        Credential(
            c["id"],
            c["name"],
            CredentialType.CERTIFICATION,
            url=c["id"],
            issuer=issuers[c["issuer"]],
            alternate_names=tuple(c["alternate_names"]),
        )
        for c in data["credentials"]
    ]


LABELLED = "labelled.json"  # written while the matcher was tuned: development figures
BLIND = "blind.json"  # written apart from the matcher, committed before it ran on them
BLIND2 = "blind2.json"  # the same, written once BLIND had guided the matcher's development
# The sets each blind set was written after: a name one of them also spells may have been tuned for.
EARLIER = {BLIND: (LABELLED,), BLIND2: (LABELLED, BLIND)}

Held = list[tuple[str, str]]  # (name as written, id of the catalogue credential it means)


def labelled(file: str = LABELLED) -> tuple[Held, list[str]]:
    data = json.loads((HERE / file).read_text(encoding="utf-8"))
    held = [(name, cid) for cid, names in data["held"].items() for name in names]
    return held, list(data["not_held"])


def unseen(
    held: Held, not_held: list[str], earlier: tuple[str, ...] = (LABELLED,)
) -> tuple[Held, list[str]]:
    """The names of a set that none of the `earlier` sets also holds (ignoring case): a name
    an earlier set holds may have been tuned for."""
    seen: set[str] = set()
    for file in earlier:
        dev_held, dev_not_held = labelled(file)
        seen |= {name.casefold() for name, _ in dev_held} | {n.casefold() for n in dev_not_held}
    return (
        [(name, cid) for name, cid in held if name.casefold() not in seen],
        [name for name in not_held if name.casefold() not in seen],
    )


async def prepared(db: Path | None, shape: Shape) -> str:
    path = db or Path(tempfile.mkdtemp()) / "resolve_bench.db"
    url = f"sqlite:///{path}"
    async with open_store(url) as store:
        stats = await store.stats()
        if stats.credentials < shape.credentials:
            console.print(f"loading {shape.credentials:,} synthetic credentials into {path} ...")
            await load(store, shape)
        report = await store.upsert_credentials(catalog())
        console.print(f"catalogue of real certifications: {report}")
    return url


async def accuracy(store: GraphStore, held: Held, not_held: list[str]) -> dict[str, Any]:
    index = await index_cache(store).index(store)
    right = confident = 0
    misses = []
    for name, expected in held:
        found = resolve(index, name, first=1)
        if found and found[0].credential_id == expected:
            right += 1
            confident += found[0].confidence > 0.5
        else:
            misses.append(
                (
                    name,
                    found[0].credential_id if found else None,
                    found[0].confidence if found else None,
                )
            )
    false = []
    for name in not_held:
        found = resolve(index, name, first=3)
        if found and found[0].confidence > 0.5:
            false.append((name, found[0].credential_id, found[0].confidence))
    return {
        "held": len(held),
        "right": right,
        "confident": confident,
        "misses": misses,
        "not_held": len(not_held),
        "false": false,
    }


async def timing(store: GraphStore, rounds: int) -> tuple[float, list[float]]:
    schema = build_schema()
    cache = index_cache(store)
    start = time.perf_counter()
    await cache.index(store)  # built on first use (or already): what a first request pays
    first_build = time.perf_counter() - start
    held, not_held = labelled()
    pool = [n for n, _ in held] + not_held
    rng = random.Random(20)
    times = []
    for _ in range(rounds):
        names = rng.sample(pool, 20)
        start = time.perf_counter()
        result = await schema.execute(
            QUERY, variable_values={"names": names}, context_value=make_context(store)
        )
        times.append((time.perf_counter() - start) * 1000)
        if result.errors:
            raise RuntimeError(result.errors)
    return first_build, times


async def main(args: argparse.Namespace) -> None:
    file = BLIND2 if args.blind2 else BLIND if args.blind else LABELLED
    earlier = EARLIER.get(file, ())
    held_names, not_held_names = labelled(file)
    if args.names_only:
        counted = (
            f"{file}: {len(held_names)} held names of {len({c for _, c in held_names})} "
            f"credentials, {len(not_held_names)} not held"
        )
        if earlier:
            fresh_held, fresh_not_held = unseen(held_names, not_held_names, earlier)
            counted += (
                f"; not in {', '.join(earlier)}: "
                f"{len(fresh_held)} held, {len(fresh_not_held)} not held"
            )
        console.print(counted)
        return
    url = await prepared(Path(args.db) if args.db else None, Shape())
    async with open_store(url) as store:
        stats = await store.stats()
        start = time.perf_counter()
        names = await store.credential_names()
        read = time.perf_counter() - start
        first_build, times = await timing(store, args.rounds)
        found = await accuracy(store, held_names, not_held_names)
        fresh = (
            await accuracy(store, *unseen(held_names, not_held_names, earlier)) if earlier else None
        )
    load1, load5, _ = os.getloadavg()
    held, not_held = found["held"], found["not_held"]
    table = Table(title=f"resolveCredentials on {stats.credentials:,} credentials (SQLite)")
    table.add_column("measure")
    table.add_column("figure", justify="right")
    table.add_column("target", justify="right")
    table.add_row(f"{file} names held / not held", f"{held} / {not_held}", "≥ 200 in all")
    table.add_row("top-1 accuracy on held names", f"{found['right'] / held:.3f}", "≥ 0.9")
    table.add_row("  of which matched above 0.5", f"{found['confident'] / held:.3f}", "")
    no_false = 1 - len(found["false"]) / not_held
    table.add_row("not-held names with no match above 0.5", f"{no_false:.3f}", "≥ 0.95")
    if fresh is not None:
        table.add_row(
            f"names not in {', '.join(earlier)}: held / not held",
            f"{fresh['held']} / {fresh['not_held']}",
            "",
        )
        table.add_row("  top-1 accuracy on those held", f"{fresh['right'] / fresh['held']:.3f}", "")
        fresh_no_false = 1 - len(fresh["false"]) / fresh["not_held"]
        table.add_row("  those not held with no match above 0.5", f"{fresh_no_false:.3f}", "")
    table.add_row("read every credential's names", f"{read:.2f} s ({len(names):,} rows)", "")
    table.add_row("first index (read + build)", f"{first_build:.2f} s", "")
    table.add_row(
        "resolveCredentials of 20 names p50", f"{statistics.median(times):.1f} ms", "≤ 100 ms"
    )
    table.add_row(
        "resolveCredentials of 20 names p95", f"{statistics.quantiles(times, n=20)[-1]:.1f} ms", ""
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table.add_row("peak RSS of this process (graph reads, index, schema)", f"{peak:.0f} MB", "")
    table.add_row("load average (1 min / 5 min)", f"{load1:.2f} / {load5:.2f}", "")
    console.print(table)
    if args.verbose:
        for name, got, confidence in found["misses"]:
            console.print(f"[yellow]miss[/] {name!r} -> {got} ({confidence})")
        for name, got, confidence in found["false"]:
            console.print(f"[red]false[/] {name!r} -> {got} ({confidence})")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="SQLite file to use (built when empty)")
    parser.add_argument("--rounds", type=int, default=200, help="timed calls of 20 names")
    parser.add_argument("--verbose", action="store_true", help="list misses and false matches")
    sets = parser.add_mutually_exclusive_group()
    sets.add_argument(
        "--blind", action="store_true", help=f"measure accuracy on {BLIND}, not {LABELLED}"
    )
    sets.add_argument(
        "--blind2", action="store_true", help=f"measure accuracy on {BLIND2}, not {LABELLED}"
    )
    parser.add_argument(
        "--names-only",
        action="store_true",
        help="count the set's names and stop before building the graph or resolving any",
    )
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
