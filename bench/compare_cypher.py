"""The Neo4j comparison statement (GraphQL `compareCredentials`, bench/peer_bench.py's query
b) with and without the `Equated` hint, timed statement by statement, interleaved.

    .venv/bin/python bench/compare_cypher.py --url bolt://127.0.0.1:7701 --scale 0.2
    .venv/bin/python bench/compare_cypher.py              # starts Neo4j on --neo4j-port, 100k

The statement is the one `store.neo4j.equivalences.compared_credentials` builds for the
projection the API reads (issuer, skills, occupations) on three credentials. Variants:
- `hinted`: as shipped, SAME_AS expanded only from skills labelled `Equated`;
- `unhinted`: the same text without the label test, as before the hint;
- `no lookup`: the same text with the SAME_AS part replaced by an empty list (the floor).

1. bench/synthetic.py's graph at `--scale` is loaded (wiped first) unless already there.
2. With no SAME_AS relationship in the graph: each variant's database hits (PROFILE, one
   triple), then `--rounds` rounds of `--block` statements per variant, the variants' order
   rotating each round, each statement on a random triple of credentials, one auto-commit
   statement per session as the store reads. Prints ms/statement (mean, p50, p90) and the
   load average.
3. A crosswalk joins `--share` of the skills (each to the next skill) through the port, so the
   write path labels them; the hinted and unhinted statements must return the same rows on
   `--check` triples (how many carry an equivalence is printed); then timed as in 2.
4. The crosswalk is replaced by nothing and the labels it left are removed, leaving the graph
   as found (unless `--keep`). Nothing is asserted except the equal answers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "bench"), str(REPO / "src")]

from neo4j import READ_ACCESS, AsyncDriver, AsyncGraphDatabase  # noqa: E402
from peer_bench import load_graph, neo4j, sample_inputs  # noqa: E402
from synthetic import Shape, skill  # noqa: E402

from credgraph.model.records import Equivalence  # noqa: E402
from credgraph.model.values import NodeKind  # noqa: E402
from credgraph.model.views import Projection  # noqa: E402
from credgraph.store import open_store  # noqa: E402
from credgraph.store.neo4j import equivalences  # noqa: E402

OWNER = "crosswalk bench https://bench.example/compare_cypher.csv"
HINTED = "(s:Skill:Equated)-[r:SAME_AS]-(m:Skill)"
UNHINTED = "(s:Skill)-[r:SAME_AS]-(m:Skill)"
PROJECTION = Projection(issuer=True, skills=True, occupations=True)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


async def statements() -> dict[str, str]:
    """The three variants of the statement `compared_credentials` runs."""
    seen: list[str] = []

    async def capture(query: str, **_params: Any) -> list[Any]:
        seen.append(query)
        return [{"rows": []}]

    await equivalences.compared_credentials(capture, ["x", "y", "z"], PROJECTION)
    [hinted] = seen
    assert hinted.count(HINTED) == 1, "the comparison's SAME_AS pattern changed"
    start = hinted.index("COLLECT {")
    end = hinted.index("}", start) + 1
    return {
        "hinted": hinted,
        "unhinted": hinted.replace(HINTED, UNHINTED),
        "no lookup": hinted[:start] + "[]" + hinted[end:],
    }


async def run(driver: AsyncDriver, query: str, ids: list[str]) -> list[Any]:
    async with driver.session(default_access_mode=READ_ACCESS) as session:
        result = await session.run(query, {"ids": ids})
        return [record.data() async for record in result]


def db_hits(plan: dict[str, Any]) -> int:
    return int(plan.get("dbHits", 0)) + sum(db_hits(c) for c in plan.get("children", []))


async def profile(driver: AsyncDriver, variants: dict[str, str], ids: list[str]) -> None:
    for name, query in variants.items():
        async with driver.session(default_access_mode=READ_ACCESS) as session:
            result = await session.run(f"PROFILE {query}", {"ids": ids})
            summary = await result.consume()
        assert summary.profile is not None
        print(f"  {name:>9}: {db_hits(summary.profile):>5} db hits (one triple)", flush=True)


async def timed(
    driver: AsyncDriver,
    variants: dict[str, str],
    triples: list[list[str]],
    rounds: int,
    block: int,
) -> None:
    names = list(variants)
    spent: dict[str, list[float]] = {n: [] for n in names}
    rng = random.Random(5)
    for name in names:  # warm up plans and caches
        for _ in range(20):
            await run(driver, variants[name], rng.choice(triples))
    before = load_average()
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            for _ in range(block):
                ids = rng.choice(triples)
                started = time.perf_counter()
                await run(driver, variants[name], ids)
                spent[name].append((time.perf_counter() - started) * 1000)
    print(f"  load average before {before}, after {load_average()}", flush=True)
    for name in names:
        ms = sorted(spent[name])
        print(
            f"  {name:>9}: {statistics.fmean(ms):.3f} ms/statement "
            f"(p50 {ms[len(ms) // 2]:.3f}, p90 {ms[int(len(ms) * 0.9)]:.3f}, n {len(ms)})",
            flush=True,
        )


async def add_crosswalk(url: str, shape: Shape, share: float) -> int:
    rng = random.Random(3)
    chosen = rng.sample(range(shape.skills - 1), max(1, int(shape.skills * share)))
    pairs = [
        Equivalence(NodeKind.SKILL, skill(shape, i).id, skill(shape, i + 1).id) for i in chosen
    ]
    async with open_store(url) as store:
        report = await store.replace_equivalences(OWNER, pairs)
    assert not report.rejected, report.rejected[:3]
    return report.created


async def remove_crosswalk(url: str, driver: AsyncDriver) -> None:
    async with open_store(url) as store:
        await store.replace_equivalences(OWNER, [])
    await driver.execute_query("MATCH (n:Equated) WHERE NOT (n)-[:SAME_AS]-() REMOVE n:Equated")


async def bench(a: argparse.Namespace, shape: Shape) -> None:
    await load_graph(a.url, shape)
    ids, _occupations, _texts = await sample_inputs(a.url, shape)
    rng = random.Random(7)
    triples = [rng.sample(ids, 3) for _ in range(200)]
    variants = await statements()
    async with AsyncGraphDatabase.driver(
        a.url, auth=None, notifications_min_severity="OFF"
    ) as driver:
        [row] = (
            await driver.execute_query("MATCH ()-[r:SAME_AS]->() RETURN count(r) AS n")
        ).records
        print(f"scale {a.scale}: {shape}; SAME_AS relationships: {row['n']}", flush=True)
        print("-- no SAME_AS in the graph", flush=True)
        await profile(driver, variants, triples[0])
        await timed(driver, variants, triples, a.rounds, a.block)
        created = await add_crosswalk(a.url, shape, a.share)
        try:
            [row] = (await driver.execute_query("MATCH (n:Equated) RETURN count(n) AS n")).records
            print(
                f"-- a crosswalk of {created} skill pairs, {row['n']} skills labelled", flush=True
            )
            carrying = 0
            for ids in triples[: a.check]:
                hinted = await run(driver, variants["hinted"], ids)
                assert hinted == await run(driver, variants["unhinted"], ids), ids
                carrying += any(values[0] for values in hinted[0]["rows"])
            print(f"  same rows hinted and unhinted on {a.check} triples, {carrying} with an "
                  "equivalence", flush=True)  # fmt: skip
            await profile(driver, variants, triples[0])
            await timed(driver, variants, triples, a.rounds, a.block)
        finally:
            if not a.keep:
                await remove_crosswalk(a.url, driver)


async def main(a: argparse.Namespace) -> None:
    shape = Shape() if a.scale == 1 else Shape().scaled(a.scale)
    started = a.url is None
    if started:
        a.url = neo4j(a.neo4j_port, "start")
    try:
        await bench(a, shape)
    finally:
        if started:
            neo4j(a.neo4j_port, "stop")


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", help="a running Neo4j (default: start one on --neo4j-port)")
    p.add_argument("--neo4j-port", type=int, default=7791)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--rounds", type=int, default=20)
    p.add_argument("--block", type=int, default=50)
    p.add_argument("--share", type=float, default=0.01, help="share of skills in the crosswalk")
    p.add_argument("--check", type=int, default=100, help="triples checked for equal answers")
    p.add_argument("--keep", action="store_true", help="leave the crosswalk in the graph")
    asyncio.run(main(p.parse_args()))
