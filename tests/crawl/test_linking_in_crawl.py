"""Linking in the crawl: mentions join canonical taxonomy nodes at ingest, and mentions crawled
before a taxonomy arrived are re-linked when it does."""

from __future__ import annotations

import json
from typing import Any

import pytest

from credgraph.config.sources import CrawlerSettings
from credgraph.ingest import crawl_sources, imports
from credgraph.model import Source
from credgraph.model.values import CrawlStatus
from credgraph.store import GraphStore
from tests.crawl.catalogs import ESCO_FOLDER, esco_routes
from tests.crawl.server import Route, serving
from tests.stores import history_of

SETTINGS = CrawlerSettings(delay_seconds=0.0, allow_private_networks=True, max_retries=0)
MACHINE_LEARNING = "http://data.europa.eu/esco/skill/3a2d5b45-56e4-4f5a-a55a-4a4a65afdc43"
POSTGRES = "http://data.europa.eu/esco/skill/a8d07b5a-c1a1-42c6-9d53-db9c7a2ca996"


def badges(base: str) -> str:
    return json.dumps(
        {
            "badges": [
                {
                    "type": "BadgeClass",
                    "id": f"{base}/badges/ml",
                    "name": "Applied ML",
                    "description": "Models in practice.",
                    "criteria": {"narrative": "Project."},
                    "issuer": {"type": "Issuer", "id": f"{base}/issuer", "name": "Lab Academy"},
                    "alignment": [
                        {"targetName": "Machine Learning"},
                        {"targetName": "Postgres"},
                        {"targetName": "Underwater basket weaving"},
                    ],
                }
            ]
        }
    )


async def skills_of(store: GraphStore, cid: str) -> dict[str, str | None]:
    [view] = await store.get_credentials([cid])
    return {link.skill.id: link.method for link in view.skills}


async def test_taxonomy_after_the_crawl_relinks_earlier_mentions(store: GraphStore) -> None:
    with serving({}) as server:
        base = server.url("")
        server.routes["/badges"] = Route(badges(base))
        server.routes.update(esco_routes())
        catalog = Source("lab", "openbadges", (server.url("/badges"),))
        await crawl_sources([catalog], store, SETTINGS)
        before = await skills_of(store, f"{base}/badges/ml")
        assert set(before) == {
            "label:machine learning",
            "label:postgres",
            "label:underwater basket weaving",
        }
        [taxonomy] = await crawl_sources(
            [Source("esco", "esco", (server.url("/esco/"),))], store, SETTINGS
        )
        after = await skills_of(store, f"{base}/badges/ml")
    assert after[MACHINE_LEARNING] == "label-any-framework"  # no framework named in the badge
    assert POSTGRES in after  # an alternative label ("Postgres") of PostgreSQL
    assert "label:underwater basket weaving" in after  # unresolved: kept, never dropped
    assert taxonomy.updated >= 1
    [view] = await store.get_credentials([f"{base}/badges/ml"])
    assert [c.changes for c in await history_of(store, view.id)]  # versioned


async def test_a_crawl_after_the_taxonomy_links_at_ingest(store: GraphStore) -> None:
    with serving({}) as server:
        base = server.url("")
        server.routes["/badges"] = Route(badges(base))
        server.routes.update(esco_routes())
        await crawl_sources([Source("esco", "esco", (server.url("/esco/"),))], store, SETTINGS)
        await crawl_sources(
            [Source("lab", "openbadges", (server.url("/badges"),))], store, SETTINGS
        )
        linked = await skills_of(store, f"{base}/badges/ml")
    assert MACHINE_LEARNING in linked and POSTGRES in linked
    assert await history_of(store, f"{base}/badges/ml") == []  # linked before storing


async def test_reimporting_a_changed_taxonomy_loses_no_links(store: GraphStore) -> None:
    with serving({}) as server:
        base = server.url("")
        server.routes["/badges"] = Route(badges(base))
        server.routes.update(esco_routes())
        esco = Source("esco", "esco", (server.url("/esco/"),))
        await crawl_sources([esco], store, SETTINGS)
        await crawl_sources(
            [Source("lab", "openbadges", (server.url("/badges"),))], store, SETTINGS
        )
        # The next ESCO release renames PostgreSQL and drops machine learning altogether.
        skills = (ESCO_FOLDER / "skills_en.csv").read_text()
        changed = "\n".join(line for line in skills.split("\n") if "3a2d5b45" not in line)
        server.routes["/esco/skills_en.csv"] = Route(
            changed.replace("PostgreSQL", "PostgreSQL DBMS"), content_type="text/csv"
        )
        [run] = await crawl_sources([esco], store, SETTINGS)
        linked = await skills_of(store, f"{base}/badges/ml")
    assert run.updated >= 1
    assert MACHINE_LEARNING in linked and POSTGRES in linked  # nothing already linked is lost
    [pg] = await store.get_skills([POSTGRES])
    assert pg.name == "PostgreSQL DBMS"


def stop_relinking_pass(nth: int, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The import's re-linking passes, counted; as the `nth` begins, its run is asked to stop
    (as the scheduler does at SIGTERM), which the pass's first stop point acts on."""
    real = imports.relink
    passes: list[str] = []

    async def counted(*args: Any, **kwargs: Any) -> Any:
        passes.append("relink")
        if len(passes) == nth:
            kwargs["stop_point"].__self__.request_stop("the scheduler is shutting down")
        return await real(*args, **kwargs)

    monkeypatch.setattr(imports, "relink", counted)
    return passes


async def test_a_taxonomy_run_stopped_while_relinking_relinks_on_the_next_run(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes = stop_relinking_pass(1, monkeypatch)
    with serving({}) as server:
        base = server.url("")
        server.routes["/badges"] = Route(badges(base))
        server.routes.update(esco_routes())
        await crawl_sources(
            [Source("lab", "openbadges", (server.url("/badges"),))], store, SETTINGS
        )
        esco = Source("esco", "esco", (server.url("/esco/"),))  # a folder: no content hash
        [stopped] = await crawl_sources([esco], store, SETTINGS)
        assert stopped.status is CrawlStatus.ABORTED
        assert any("while re-linking" in e.reason for e in stopped.error_samples)
        assert MACHINE_LEARNING not in await skills_of(store, f"{base}/badges/ml")
        [again] = await crawl_sources([esco], store, SETTINGS)  # the same release, unchanged
        after = await skills_of(store, f"{base}/badges/ml")
        [third] = await crawl_sources([esco], store, SETTINGS)
    assert again.status is CrawlStatus.SUCCEEDED and again.created == 0
    assert after[MACHINE_LEARNING] == "label-any-framework"
    assert third.status is CrawlStatus.SUCCEEDED and third.updated == 0
    assert len(passes) == 2  # re-linked once it was done: no third pass


async def test_a_new_release_stopped_while_relinking_relinks_on_the_next_run(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A release imported before, then a new one whose run stops as its re-linking begins:
    the next run finds the new release stored and unchanged, and re-links all the same."""
    passes = stop_relinking_pass(2, monkeypatch)  # the second release's
    with serving({}) as server:
        base = server.url("")
        server.routes["/badges"] = Route(badges(base))
        server.routes.update(esco_routes())
        skills = (ESCO_FOLDER / "skills_en.csv").read_text()
        without_ml = "\n".join(line for line in skills.split("\n") if "3a2d5b45" not in line)
        server.routes["/esco/skills_en.csv"] = Route(without_ml, content_type="text/csv")
        esco = Source("esco", "esco", (server.url("/esco/"),))
        [first] = await crawl_sources([esco], store, SETTINGS)  # release 1: no machine learning
        await crawl_sources(
            [Source("lab", "openbadges", (server.url("/badges"),))], store, SETTINGS
        )
        server.routes["/esco/skills_en.csv"] = Route(skills, content_type="text/csv")
        [stopped] = await crawl_sources([esco], store, SETTINGS)
        [again] = await crawl_sources([esco], store, SETTINGS)
        linked = await skills_of(store, f"{base}/badges/ml")
        [fourth] = await crawl_sources([esco], store, SETTINGS)
    assert first.status is CrawlStatus.PARTIAL  # its relations name the skill it lacks
    assert stopped.status is CrawlStatus.ABORTED and stopped.created >= 1
    assert again.created == 0 and again.status is CrawlStatus.SUCCEEDED
    assert MACHINE_LEARNING in linked
    assert fourth.status is CrawlStatus.SUCCEEDED and len(passes) == 3  # no fourth pass
