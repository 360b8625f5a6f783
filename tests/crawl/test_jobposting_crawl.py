"""A job-board crawl over real HTTP: robots.txt -> sitemap -> pages with JobPosting JSON-LD,
and a JSON feed; skills linked to framework nodes, asked credentials resolved, a broken page
reported without ending the run, and postings gone from the source going stale; on each store."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from credgraph.config.sources import CrawlerSettings
from credgraph.ingest import crawl_sources
from credgraph.model import Source
from credgraph.model.values import NodeKind
from credgraph.store import GraphStore
from tests.crawl.server import Route, serving
from tests.stores import STORES, empty_store

SETTINGS = CrawlerSettings(
    delay_seconds=0.0, allow_private_networks=True, max_retries=0, stale_after_misses=1
)


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with empty_store(request, tmp_path, "jobs.db") as opened:
        yield opened


SQL_ESCO = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"


def page(posting: dict[str, object]) -> str:
    block = json.dumps({"@context": "https://schema.org", **posting})
    return (
        f"<html><head><title>job</title><script type='application/ld+json'>{block}"
        "</script></head><body><h1>Job</h1></body></html>"
    )


def sitemap(base: str, paths: list[str]) -> str:
    urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def badges(base: str) -> str:
    return json.dumps(
        {
            "badges": [
                {
                    "type": "BadgeClass",
                    "id": f"{base}/badges/sql",
                    "name": "SQL Fundamentals",
                    "description": "Queries.",
                    "criteria": {"narrative": "Exam."},
                    "issuer": {"type": "Issuer", "id": f"{base}/issuer", "name": "Data School"},
                    "alignment": [
                        {"targetName": "SQL", "targetUrl": SQL_ESCO, "targetFramework": "ESCO"}
                    ],
                }
            ]
        }
    )


def routes(base: str, pages: list[str]) -> dict[str, Route]:
    analyst = {
        "@type": "JobPosting",
        "title": "<b>Data Analyst</b>",
        "url": f"{base}/jobs/1",
        "description": "<p>Query <em>data</em> all day.</p>",
        "datePosted": "2026-11-02",
        "validThrough": "2099-01-01T00:00:00Z",
        "hiringOrganization": {
            "@type": "Organization",
            "name": "Acme",
            "sameAs": "https://acme.example",
        },
        "skills": "SQL, reporting",
        "occupationalCategory": "15-2051.00 Data Scientists",
        "qualifications": "SQL Fundamentals badge preferred",
    }
    engineer = {
        "@type": "JobPosting",
        "title": "Data Engineer",
        "url": f"{base}/jobs/2",
        "datePosted": "Nov 3, 2026",
        "validThrough": "2020-01-01",
        "hiringOrganization": "Acme",
        "skills": [{"@type": "DefinedTerm", "name": "SQL", "url": SQL_ESCO}],
        "educationRequirements": {
            "@type": "EducationalOccupationalCredential",
            "name": "SQL Fundamentals",
        },
    }
    all_pages = {
        "/jobs/1": Route(page(analyst), content_type="text/html"),
        "/jobs/2": Route(page(engineer), content_type="text/html"),
        "/jobs/broken": Route(
            "<html><script type='application/ld+json'>{oops</script></html>",
            content_type="text/html",
        ),
    }
    out = {
        "/robots.txt": Route(
            f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n", content_type="text/plain"
        ),
        "/sitemap.xml": Route(sitemap(base, pages), content_type="application/xml"),
        "/feed.json": Route(
            json.dumps(
                {
                    "jobs": [
                        {
                            "title": "Night Nurse",
                            "skills": "patient care; triage",
                            "url": f"{base}/jobs/9",
                        },
                        {"description": "a posting without a title"},
                    ]
                }
            )
        ),
        "/badges": Route(badges(base)),
    }
    out.update({p: r for p, r in all_pages.items() if p in pages})
    return out


async def test_job_board_crawl(store: GraphStore) -> None:
    with serving({}) as server:
        base = server.url("")
        server.routes.update(routes(base, ["/jobs/1", "/jobs/2", "/jobs/broken"]))
        badge_source = Source("school", "openbadges", (server.url("/badges"),))
        board = Source("board", "jobposting", (server.url("/robots.txt"), server.url("/feed.json")))
        await crawl_sources([badge_source], store, SETTINGS)
        [run] = await crawl_sources([board], store, SETTINGS)

        assert run.created >= 3
        messages = " ".join(e.reason for e in run.error_samples)
        assert "/jobs/broken" in " ".join(e.url for e in run.error_samples)
        assert "no title" in messages

        views = await store.get_job_postings([f"{base}/jobs/1", f"{base}/jobs/2", f"{base}/jobs/9"])
        analyst, engineer, nurse = (v.posting for v in views)
        assert analyst.title == "Data Analyst" and analyst.description == "Query data all day."
        assert analyst.employer is not None and analyst.employer.url == "https://acme.example"
        # "SQL" as text links to the ESCO node the badge brought, by label
        sql = next(link for link in analyst.skills if link.skill.name == "SQL")
        assert sql.skill.id == SQL_ESCO and sql.method == "label-any-framework"
        assert [o.occupation.id for o in analyst.occupations] == ["onet:15-2051.00"]
        badge_id = f"{base}/badges/sql"
        assert analyst.asked_ids == (badge_id,)  # named in qualifications
        assert engineer.asked_ids == (badge_id,)  # an EducationalOccupationalCredential
        assert [s.skill.name for s in nurse.skills] == ["patient care", "triage"]

        now = datetime.now(UTC)
        demand = await store.posting_demand(NodeKind.SKILL, [SQL_ESCO], now)
        assert (demand.active, demand.by_id[SQL_ESCO]) == (2, 1)  # the engineer one closed
        credential = await store.posting_demand(NodeKind.CREDENTIAL, [badge_id], now)
        assert credential.by_id[badge_id] == 1

        # The engineer page leaves the sitemap: after the next full run it is stale.
        server.routes["/sitemap.xml"] = Route(
            sitemap(base, ["/jobs/1"]), content_type="application/xml"
        )
        await crawl_sources([replace(board)], store, SETTINGS)
        [gone, kept] = await store.get_job_postings([f"{base}/jobs/2", f"{base}/jobs/1"])
        assert gone.stale and not kept.stale


async def test_postings_crawled_before_a_taxonomy_are_relinked_when_it_arrives(
    store: GraphStore,
) -> None:
    from tests.crawl.catalogs import esco_routes
    from tests.crawl.test_linking_in_crawl import MACHINE_LEARNING, POSTGRES

    with serving({}) as server:
        base = server.url("")
        server.routes["/feed.json"] = Route(
            json.dumps(
                [
                    {
                        "title": "ML Engineer",
                        "url": f"{base}/jobs/ml",
                        "skills": "Machine Learning, Postgres, Underwater basket weaving",
                    }
                ]
            )
        )
        server.routes.update(esco_routes())
        board = Source("board", "jobposting", (server.url("/feed.json"),))
        await crawl_sources([board], store, SETTINGS)
        [before] = await store.get_job_postings([f"{base}/jobs/ml"])
        assert {s.skill.id for s in before.posting.skills} == {
            "label:machine learning",
            "label:postgres",
            "label:underwater basket weaving",
        }
        [taxonomy] = await crawl_sources(
            [Source("esco", "esco", (server.url("/esco/"),))], store, SETTINGS
        )
        [after] = await store.get_job_postings([f"{base}/jobs/ml"])
    links = {s.skill.id: s.method for s in after.posting.skills}
    assert links[MACHINE_LEARNING] == "label-any-framework" and POSTGRES in links
    assert links["label:underwater basket weaving"] == "unresolved"  # kept, never dropped
    assert taxonomy.updated >= 1


async def test_capped_runs_page_through_a_large_sitemap(store: GraphStore) -> None:
    capped = replace(SETTINGS, max_pages=10)
    with serving({}) as server:
        base = server.url("")
        paths = [f"/jobs/{i}" for i in range(30)]
        server.routes.update(routes(base, []))
        server.routes["/sitemap.xml"] = Route(sitemap(base, paths), content_type="application/xml")
        for i, path in enumerate(paths):
            server.routes[path] = Route(
                page({"@type": "JobPosting", "title": f"Job {i}", "url": f"{base}{path}"}),
                content_type="text/html",
            )
        board = Source("board", "jobposting", (server.url("/robots.txt"),))
        counts = []
        for _ in range(4):
            [run] = await crawl_sources([board], store, capped)
            assert run.fetched + run.not_modified <= 10
            counts.append((await store.list_job_postings(first=0)).total_count)
        # robots.txt and the sitemap, then 8 pages a run not fetched before
        assert counts == [8, 16, 24, 30]
        assert "pages left for later runs" in " ".join(e.reason for e in run.error_samples)
