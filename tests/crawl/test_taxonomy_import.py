"""Taxonomy releases over real HTTP: a zipped O*NET release, an ESCO folder, a crosswalk CSV;
re-imports of unchanged releases cost one request and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from credgraph.config.sources import CrawlerSettings
from credgraph.ingest import crawl_sources
from credgraph.model import CrawlStatus, Source
from credgraph.store import GraphStore, open_store
from tests.crawl.server import Route, serving
from tests.formats.releases import zip_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SETTINGS = CrawlerSettings(delay_seconds=0.0, allow_private_networks=True, max_retries=0)


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tax.db'}"
    else:
        from tests.contract.conftest import _wipe_neo4j

        url = request.getfixturevalue("neo4j_url")
        await _wipe_neo4j(url)
    opened = open_store(url)
    await opened.open()
    yield opened  # type: ignore[misc]
    await opened.close()


async def test_onet_zip_then_unchanged_reimport(store: GraphStore) -> None:
    routes = {
        "/onet/db_30_1_text.zip": Route(
            zip_bytes(FIXTURES / "onet", "db_30_1_text"), content_type="application/zip"
        )
    }
    with serving(routes) as server:
        source = Source("onet", "onet", (server.url("/onet/db_30_1_text.zip"),))
        [first] = await crawl_sources([source], store, SETTINGS)
        stats = await store.stats()
        [again] = await crawl_sources([source], store, SETTINGS)
    assert first.status in (CrawlStatus.SUCCEEDED, CrawlStatus.PARTIAL), first.error_samples
    assert first.fetched == 1 and first.created > 0
    assert stats.occupations > 0 and stats.skills > 0 and stats.relationships > 0
    data_scientists = await store.occupation_required_skills("onet:15-2051.00")
    assert data_scientists, "O*NET importance ratings became ranked requirements"
    importances = [r.importance for r in data_scientists if r.importance is not None]
    assert importances == sorted(importances, reverse=True)
    assert again.not_modified == 1 and (again.created, again.updated) == (0, 0)
    after = await store.stats()
    assert (after.skills, after.occupations, after.relationships) == (
        stats.skills,
        stats.occupations,
        stats.relationships,
    )
    assert after.crawl_runs == stats.crawl_runs + 1  # only the run record itself


async def test_esco_folder_and_crosswalk_csv(store: GraphStore) -> None:
    esco = FIXTURES / "esco"
    routes = {
        f"/esco/{p.name}": Route(p.read_bytes(), content_type="text/csv")
        for p in esco.iterdir()
        if p.is_file()
    }
    crosswalk = FIXTURES / "crosswalk" / "esco_onet_skills.csv"
    routes["/crosswalk/esco_onet_skills.csv"] = Route(
        crosswalk.read_bytes(), content_type="text/csv"
    )
    with serving(routes) as server:
        sources = [
            Source("esco", "esco", (server.url("/esco/"),)),
            Source("xwalk", "crosswalk", (server.url("/crosswalk/esco_onet_skills.csv"),)),
        ]
        [esco_run] = await crawl_sources(sources[:1], store, SETTINGS)
        [xwalk_run] = await crawl_sources(sources[1:], store, SETTINGS)
    assert esco_run.created > 0, esco_run.error_samples
    assert xwalk_run.status is not CrawlStatus.FAILED, xwalk_run.error_samples
    stats = await store.stats()
    assert stats.skills > 0 and stats.occupations > 0
    # Files the folder does not have (optional ones) are reported, not fatal.
    assert all("HTTP 404" in e.reason or ":" in e.reason for e in esco_run.error_samples)
