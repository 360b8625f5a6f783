"""Job-posting crawl-and-link benchmark: 100,000 JobPostings served on loopback as JSON feeds
(through robots.txt and a sitemap index), crawled into a store that holds a skill taxonomy,
so every posting's skills and occupations are linked, its asked credentials resolved, and it
is stored with its links.

    python bench/jobs_bench.py [--postings 100000] [--per-feed 1000] [--skills 2000]
                               [--store sqlite|URL]

Every taxonomy skill has an O*NET-style twin ("bench ability k") joined to it by a crosswalk;
every other posting names one skill by its twin's label, so the demand reads (counted as the
API counts them) follow equivalences. Prints the crawl time, postings per second, CPU, peak
memory (ru_maxrss) and the load average before and after, then the demand reads of 20 skills
and 20 credentials. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from credgraph.analysis.equivalents import MIN_CONFIDENCE  # noqa: E402
from credgraph.config.sources import CrawlerSettings  # noqa: E402
from credgraph.ingest import crawl_sources  # noqa: E402
from credgraph.model import Credential, Skill, SkillLink, Source  # noqa: E402
from credgraph.model.records import Equivalence  # noqa: E402
from credgraph.model.values import NodeKind  # noqa: E402
from credgraph.store import open_store  # noqa: E402
from tests.crawl.server import CatalogServer, Route  # noqa: E402

ESCO = "http://data.europa.eu/esco/skill/bench-"
ONET = "onet-bench:"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def skill_label(k: int) -> str:
    return f"bench skill {k}"


def twin_label(k: int) -> str:
    return f"bench ability {k}"


def feed(base: str, first: int, count: int, skills: int) -> str:
    jobs = []
    for i in range(first, first + count):
        picked = [skill_label((i * 7 + k * 13) % skills) for k in range(6)]
        if i % 2:
            picked[5] = twin_label((i * 7 + 5 * 13) % skills)
        jobs.append(
            {
                "@type": "JobPosting",
                "title": f"Engineer {i}",
                "url": f"{base}/job/{i}",
                "description": f"<p>Build things with <b>{picked[0]}</b>.</p>",
                "datePosted": "2026-11-01",
                "validThrough": "2099-01-01" if i % 5 else "2020-01-01",
                "hiringOrganization": {
                    "@type": "Organization",
                    "name": f"Employer {i % 500}",
                    "sameAs": f"https://employer{i % 500}.example",
                },
                "skills": ", ".join(picked),
                "occupationalCategory": f"15-{1200 + i % 50:04d}.00 Bench occupation {i % 50}",
                "qualifications": f"Bench Certificate {i % 100} preferred",
                "baseSalary": {
                    "@type": "MonetaryAmount",
                    "currency": "USD",
                    "value": {
                        "@type": "QuantitativeValue",
                        "minValue": 50000,
                        "maxValue": 90000,
                        "unitText": "YEAR",
                    },
                },
            }
        )
    return json.dumps({"jobs": jobs})


def routes(base: str, postings: int, per_feed: int, skills: int) -> dict[str, Route]:
    feeds = [f"/feed/{n}.json" for n in range((postings + per_feed - 1) // per_feed)]
    urls = "".join(f"<url><loc>{base}{f}</loc></url>" for f in feeds)
    out = {
        "/robots.txt": Route(
            f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n", content_type="text/plain"
        ),
        "/sitemap.xml": Route(
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
            content_type="application/xml",
        ),
    }
    for n, path in enumerate(feeds):
        first = n * per_feed
        out[path] = Route(feed(base, first, min(per_feed, postings - first), skills))
    return out


async def seed(store: object, skills: int) -> None:
    """A taxonomy to link to, and credentials that postings ask for by name."""
    nodes = [
        Skill(f"{ESCO}{k}", skill_label(k), framework="ESCO", uri=f"{ESCO}{k}")
        for k in range(skills)
    ]
    twins = [Skill(f"{ONET}{k}", twin_label(k), framework="O*NET") for k in range(skills)]
    await store.upsert_skills([*nodes, *twins])  # type: ignore[attr-defined]
    await store.replace_equivalences(  # type: ignore[attr-defined]
        "crosswalk bench",
        [Equivalence(NodeKind.SKILL, n.id, t.id) for n, t in zip(nodes, twins, strict=True)],
    )
    credentials = [
        Credential(
            f"https://certs.example/{c}",
            f"Bench Certificate {c}",
            skills=tuple(SkillLink(nodes[(c * 11 + k) % skills]) for k in range(4)),
        )
        for c in range(100)
    ]
    await store.upsert_credentials(credentials)  # type: ignore[attr-defined]


async def main(postings: int, per_feed: int, skills: int, store_url: str | None) -> None:
    settings = CrawlerSettings(
        delay_seconds=0.0, allow_private_networks=True, max_retries=1, max_pages=100_000
    )
    tmp = Path(tempfile.mkdtemp(prefix="credgraph-jobs-bench-"))
    url = store_url or f"sqlite:///{tmp / 'bench.db'}"
    print(f"load average before: {load_average()}", flush=True)
    with CatalogServer() as server:
        build = time.perf_counter()
        server.routes.update(routes(server.url(""), postings, per_feed, skills))
        print(f"feeds built in {time.perf_counter() - build:.1f} s; peak {peak_mib():.0f} MiB")
        source = Source("bench-board", "jobposting", (server.url("/robots.txt"),))
        async with open_store(url) as store:
            await seed(store, skills)
            before_peak = peak_mib()
            wall, cpu = time.perf_counter(), time.process_time()
            [run] = await crawl_sources([source], store, settings)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            page = await store.list_job_postings(first=1)
            read = time.perf_counter()
            demand = await store.posting_demand(
                NodeKind.SKILL,
                [f"{ESCO}{k}" for k in range(20)],
                datetime.now(UTC),
                min_confidence=MIN_CONFIDENCE,
            )
            skill_read = time.perf_counter() - read
            read = time.perf_counter()
            credential = await store.posting_demand(
                NodeKind.CREDENTIAL,
                [f"https://certs.example/{c}" for c in range(20)],
                datetime.now(UTC),
                min_confidence=MIN_CONFIDENCE,
            )
            credential_read = time.perf_counter() - read
    print(
        f"store: {url.split(':')[0]}; {postings:,} postings in {run.fetched} documents, "
        f"{skills:,} taxonomy skills"
    )
    print(
        f"crawl + link + store: {wall:.1f} s ({postings / wall:,.0f} postings/s), "
        f"CPU {cpu:.1f} s (crawler and test server threads), status {run.status.value}, "
        f"{run.created:,} records created, {run.errors} errors"
    )
    print(
        f"peak memory (ru_maxrss): {peak_mib():.0f} MiB (before the crawl: {before_peak:.0f} MiB, "
        "feeds served from memory included)"
    )
    print(f"postings stored: {page.total_count:,}; active: {demand.active:,}")
    print(
        f"demand of 20 skills: {skill_read * 1000:.0f} ms, "
        f"of 20 credentials: {credential_read * 1000:.0f} ms; "
        f"top skill {max(demand.by_id.values()):,} postings, "
        f"top credential {max(credential.by_id.values()):,} postings"
    )
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--per-feed", type=int, default=1000)
    parser.add_argument("--skills", type=int, default=2000)
    parser.add_argument("--store", default=None, help="store URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    asyncio.run(main(args.postings, args.per_feed, args.skills, args.store))
