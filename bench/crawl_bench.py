"""Crawl benchmark: a 10,000-credential Open Badges catalog served on loopback.

    python bench/crawl_bench.py [--credentials 10000] [--page-size 100] [--store sqlite|URL]

Politeness delays are off (loopback). Reports documents per second and CPU per document for
the first crawl, then for an unchanged re-crawl: the share of requests answered 304, the
record writes (created + updated; target 0), rows the database changed (bookkeeping: crawl-run
records), and the re-crawl time as a share of the first crawl (target <= 0.25).
`bench/crawl_stages.py` splits the first crawl's CPU into parse, link and store per
credential; `bench/crawl_vs_scrapy.py` compares it with Scrapy writing a JSON-lines feed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from credgraph.config.sources import CrawlerSettings  # noqa: E402
from credgraph.ingest import crawl_sources  # noqa: E402
from credgraph.ingest.parse_workers import ParseWorkers  # noqa: E402
from credgraph.model import Source  # noqa: E402
from credgraph.store import open_store  # noqa: E402
from tests.crawl.server import CatalogServer, Route  # noqa: E402

SKILLS = [
    "SQL",
    "Python",
    "Statistics",
    "Cloud computing",
    "Data ethics",
    "Networking",
    "Project management",
    "Visualise data",
    "Machine learning",
    "Security",
]


def catalog(base: str, total: int, page_size: int) -> dict[str, Route]:
    routes: dict[str, Route] = {
        "/robots.txt": Route("User-agent: *\nAllow: /\n", content_type="text/plain")
    }
    routes["/issuer"] = Route(
        json.dumps(
            {
                "type": "Issuer",
                "id": f"{base}/issuer",
                "name": "Bench Academy",
                "url": "https://bench.example",
            }
        )
    )
    pages = (total + page_size - 1) // page_size
    for p in range(pages):
        badges = []
        for i in range(p * page_size, min(total, (p + 1) * page_size)):
            badges.append(
                {
                    "type": "BadgeClass",
                    "id": f"{base}/badges/{i}",
                    "name": f"Badge {i}",
                    "description": f"Credential {i} in {SKILLS[i % 10]}.",
                    "criteria": {"narrative": "Pass the assessment."},
                    "issuer": f"{base}/issuer",
                    "alignment": [
                        {
                            "targetName": SKILLS[(i + k) % 10],
                            "targetFramework": "ESCO",
                            "targetUrl": f"http://data.europa.eu/esco/skill/s{(i + k) % 10}",
                        }
                        for k in range(3)
                    ],
                }
            )
        body: dict[str, object] = {"badges": badges}
        if p + 1 < pages:
            body["next"] = f"{base}/badges?page={p + 2}"
        routes[f"/badges?page={p + 1}"] = Route(json.dumps(body))
    return routes


async def main(total: int, page_size: int, store_url: str | None) -> None:
    settings = CrawlerSettings(delay_seconds=0.0, allow_private_networks=True, max_retries=1)
    tmp = Path(tempfile.mkdtemp(prefix="credgraph-crawl-bench-"))
    url = store_url or f"sqlite:///{tmp / 'bench.db'}"
    console = Console()
    with CatalogServer() as server:
        server.routes.update(catalog(server.url(""), total, page_size))
        source = Source("bench", "openbadges", (server.url("/badges?page=1"),))
        async with open_store(url) as store, ParseWorkers() as parsers:
            await parsers.start()  # as the scheduler's are: not the first page's cost
            changes_before = _changes(store)
            wall, cpu = time.perf_counter(), time.process_time()
            [first] = await crawl_sources([source], store, settings, parsers=parsers)
            first_wall, first_cpu = time.perf_counter() - wall, time.process_time() - cpu
            parse_cpu = parsers.cpu_seconds
            changes_mid = _changes(store)
            requests_before = len(server.log)
            wall, cpu = time.perf_counter(), time.process_time()
            [again] = await crawl_sources([source], store, settings, parsers=parsers)
            again_wall, again_cpu = time.perf_counter() - wall, time.process_time() - cpu
            changes_after = _changes(store)
            stats = await store.stats()
    recrawl_hits = server.log[requests_before:]
    docs = first.fetched
    table = Table(
        title=f"Crawl benchmark: {total:,} credentials in {docs} pages over loopback ({url.split(':')[0]})"
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row(
        "first crawl",
        f"{first_wall:.2f} s, {first.created:,} records created, status {first.status.value}",
    )
    table.add_row("  documents per second", f"{docs / first_wall:.1f}")
    table.add_row("  credentials per second", f"{total / first_wall:,.0f}")
    table.add_row(
        "  CPU per document (fetch + parse + store, and the test server thread)",
        f"{first_cpu / docs * 1000:.1f} ms in this process "
        f"+ {parse_cpu / docs * 1000:.1f} ms parsing in the workers",
    )
    if changes_mid is not None and changes_before is not None:
        table.add_row("  database rows changed", f"{changes_mid - changes_before:,}")
    pages = [h for h in recrawl_hits if h.path.startswith("/badges")]
    share = sum(h.status == 304 for h in pages) / max(1, len(pages))
    table.add_row("unchanged re-crawl", f"{again_wall:.2f} s, status {again.status.value}")
    table.add_row("  requests answered 304 (target >= 95%)", f"{share:.1%} of {len(pages)}")
    table.add_row(
        "  record writes: created + updated (target 0)", f"{again.created + again.updated}"
    )
    if changes_after is not None and changes_mid is not None:
        table.add_row(
            "  database rows changed (crawl-run bookkeeping)", f"{changes_after - changes_mid}"
        )
    table.add_row(
        "  re-crawl time / first crawl (target <= 0.25)", f"{again_wall / first_wall:.3f}"
    )
    table.add_row("  CPU per document", f"{again_cpu / max(1, len(pages)) * 1000:.2f} ms")
    table.add_row(
        "graph after", f"{stats.credentials:,} credentials, {stats.relationships:,} relationships"
    )
    table.add_row(
        "load average after (1, 5, 15 min)", " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    console.print(table)


def _changes(store: object) -> int | None:
    conn = getattr(store, "_conn", None)
    return conn.total_changes if conn is not None else None


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--credentials", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--store", default=None, help="store URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    asyncio.run(main(args.credentials, args.page_size, args.store))
