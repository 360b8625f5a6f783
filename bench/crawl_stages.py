"""Crawl stages without the network: the crawl benchmark's catalog pages parsed, linked and
stored page by page, as `ingest` does, with the time of each stage per credential.

    python bench/crawl_stages.py [--credentials 10000] [--page-size 100] [--rounds 3]
                                 [--profile parse|link|store]

Each round parses, links and stores every page into a fresh SQLite store; the figures are the
medians over the rounds (CPU time of this process, the store's worker thread included).
`--profile STAGE` prints the cProfile of that stage in the last round instead.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawl_bench import catalog  # noqa: E402

from credgraph.formats import parser_for  # noqa: E402
from credgraph.formats.base import Document, ParseResult  # noqa: E402
from credgraph.ingest.stacking import credential_alignments  # noqa: E402
from credgraph.link import link_page, load_linker  # noqa: E402
from credgraph.store import open_store  # noqa: E402

BASE = "http://127.0.0.1:8000"


def pages(total: int, page_size: int) -> tuple[list[tuple[str, str]], dict[str, object]]:
    routes = catalog(BASE, total, page_size)
    issuer = routes.pop("/issuer").payload().decode()
    routes.pop("/robots.txt")
    import json

    docs = [(BASE + path, route.payload().decode()) for path, route in routes.items()]
    return docs, {f"{BASE}/issuer": json.loads(issuer)}


def badge_page(
    url: str, text: str, linked: dict[str, object], fetched_at: datetime | None = None
) -> Document:
    """A page of `pages` as the crawl hands it to the parser (shared by the write benches)."""
    return Document(
        url=url,
        text=text,
        source_id="bench",
        format="openbadges",
        fetched_at=fetched_at or datetime.now(UTC),
        media_type="application/json",
        content_hash=None,
        linked=linked,
    )


async def one_round(
    docs: list[tuple[str, str]], linked: dict[str, object], profile: str | None
) -> dict[str, float]:
    parse = parser_for("openbadges")
    spent = {"parse": 0.0, "link": 0.0, "store": 0.0}
    profiler = cProfile.Profile() if profile else None
    with tempfile.TemporaryDirectory(prefix="credgraph-crawl-stages-") as tmp:
        async with open_store(f"sqlite:///{Path(tmp) / 'stages.db'}") as store:
            linker = await load_linker(store)
            for url, text in docs:
                document = badge_page(url, text, linked)
                started = time.process_time()
                if profile == "parse":
                    profiler.enable()  # type: ignore[union-attr]
                result: ParseResult = parse(document)
                if profile == "parse":
                    profiler.disable()  # type: ignore[union-attr]
                linked_at = time.process_time()
                if profile == "link":
                    profiler.enable()  # type: ignore[union-attr]
                result = await credential_alignments(store, result)
                result, _arrived = link_page(linker, result)
                if profile == "link":
                    profiler.disable()  # type: ignore[union-attr]
                stored_at = time.process_time()
                if profile == "store":
                    profiler.enable()  # type: ignore[union-attr]
                await store.upsert_issuers(result.issuers)
                if result.skills:
                    await store.upsert_skills(result.skills)
                await store.upsert_credentials(result.credentials)
                if profile == "store":
                    profiler.disable()  # type: ignore[union-attr]
                done = time.process_time()
                spent["parse"] += linked_at - started
                spent["link"] += stored_at - linked_at
                spent["store"] += done - stored_at
    if profiler is not None:
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(45)
        if os.environ.get("CALLEES"):
            stats.print_callees(os.environ["CALLEES"])
    return spent


async def main(total: int, page_size: int, rounds: int, profile: str | None) -> None:
    docs, linked = pages(total, page_size)
    results = [await one_round(docs, linked, None) for _ in range(rounds)]
    if profile:
        await one_round(docs, linked, profile)
        return
    print(
        f"{total:,} credentials in {len(docs)} pages, {rounds} rounds; load average {os.getloadavg()}"
    )
    for stage in ("parse", "link", "store"):
        per = [r[stage] / total * 1000 for r in results]
        print(
            f"  {stage:6s} {statistics.median(per):.4f} ms per credential (rounds: "
            + ", ".join(f"{x:.4f}" for x in per)
            + ")"
        )
    whole = [sum(r.values()) / total * 1000 for r in results]
    print(f"  total  {statistics.median(whole):.4f} ms per credential")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--credentials", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", choices=("parse", "link", "store"), default=None)
    args = parser.parse_args()
    asyncio.run(main(args.credentials, args.page_size, args.rounds, args.profile))
