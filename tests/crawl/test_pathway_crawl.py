"""A published pathway crawled over HTTP: stored, and its unknown credentials counted in the
run's warnings with the document URL."""

from __future__ import annotations

from pathlib import Path

from credgraph.ingest import crawl_sources
from credgraph.model import Source
from credgraph.model.stacking import PathwayGoal
from credgraph.store import GraphStore
from tests.crawl.server import Route, serving
from tests.crawl.test_crawl_run import SETTINGS

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ctdl" / "pathway-graph.json"


async def test_a_crawled_pathway_is_stored_and_its_unknown_credentials_warned(
    store: GraphStore,
) -> None:
    with serving({}) as server:
        server.routes["/pathway"] = Route(
            FIXTURE.read_text(encoding="utf-8"), content_type="application/ld+json"
        )
        source = Source("college", "ctdl", (server.url("/pathway"),))
        [run] = await crawl_sources([source], store, SETTINGS)
    reasons = [e.reason for e in run.error_samples if e.url == server.url("/pathway")]
    assert any(
        "Welding pathway" in r and "2 of 2 credential(s) not in the graph" in r for r in reasons
    ), reasons
    assert any("Employer badge" in r and "kept as a name" in r for r in reasons), reasons
    cert, aas = "ce-22222222-2222-4222-8222-222222222222", "ce-33333333-3333-4333-8333-333333333333"
    found = await store.published_pathways([cert])
    assert [p.name for p in found[cert]] == ["Welding pathway"]
    assert await store.pathways(cert, PathwayGoal(frozenset({aas})), 6, 5) == []  # not stored
