"""A skill is a node whatever brought it: a framework node a crawled alignment names joins the
linker as it is stored, and two issuers' "Python" meet without any taxonomy import."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from credgraph.api import execute
from credgraph.config.sources import CrawlerSettings
from credgraph.demo import DemoCatalogServer, demo_sources
from credgraph.demo.hosted import crawl_transport
from credgraph.formats.base import ParseResult
from credgraph.ingest import crawl_sources
from credgraph.link import EXACT_URI, LABEL_ANY_FRAMEWORK, Linker, link_page
from credgraph.link.index import TaxonomyIndex
from credgraph.model import Source
from credgraph.model.records import Credential, Skill, SkillLink
from credgraph.store import GraphStore, open_store
from credgraph.store.query import CredentialFilter
from tests.crawl.server import Route, serving

SETTINGS = CrawlerSettings(delay_seconds=0.0, allow_private_networks=True, max_retries=0)
DEMO = CrawlerSettings(
    allow_private_networks=True, delay_seconds=0, max_retries=1, timeout_seconds=10
)
ESCO_PY = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
COMPARE = """
query ($ids: [ID!]!) {
  compareCredentials(ids: $ids) {
    sharedSkills { id name framework }
    uniqueSkills { skills { id } }
  }
}
"""


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with open_store(f"sqlite:///{tmp_path / 'graph.db'}") as opened:
        yield opened


def badges(base: str) -> str:
    """An Open Badges catalog whose badge aligns to ESCO's Python by its concept URI."""
    return json.dumps(
        {
            "badges": [
                {
                    "type": "BadgeClass",
                    "id": f"{base}/badges/py",
                    "name": "Python for Data",
                    "description": "Pandas and plots.",
                    "criteria": {"narrative": "Project."},
                    "issuer": {
                        "type": "Issuer",
                        "id": f"{base}/issuer",
                        "name": "Northwind Academy",
                    },
                    "alignment": [
                        {"targetName": "Python", "targetUrl": ESCO_PY, "targetFramework": "ESCO"},
                        {"targetName": "Data wrangling"},
                    ],
                }
            ]
        }
    )


def credly(base: str) -> str:
    """A Credly template listing "Python" as a plain string."""
    return json.dumps(
        {
            "data": [
                {
                    "id": "7f3a0c1e-0000-4b2d-9e8f-000000000009",
                    "name": "Cobalt Data Engineer",
                    "description": "<p>Pipelines.</p>",
                    "vanity_slug": "data-engineer",
                    "url": f"{base}/org/cobalt/badge/data-engineer",
                    "type_category": "Certification",
                    "skills": [{"name": "Python"}, {"name": "Apache Spark"}],
                    "issuer": {
                        "entities": [
                            {
                                "primary": True,
                                "entity": {
                                    "type": "Organization",
                                    "id": "5c2e9a1b-3d4f-4a6b-8c7d-9e0f1a2b3c4d",
                                    "name": "Cobalt Cloud Institute",
                                    "url": f"{base}/org/cobalt",
                                },
                            }
                        ]
                    },
                }
            ],
            "metadata": {
                "count": 1,
                "current_page": 1,
                "total_count": 1,
                "total_pages": 1,
                "per": 48,
                "next_page_url": None,
            },
        }
    )


async def shared_skills(store: GraphStore, ids: list[str]) -> list[dict[str, str]]:
    result = await execute(store, COMPARE, {"ids": ids})
    assert not result.errors, result.errors
    assert result.data is not None
    shared: list[dict[str, str]] = result.data["compareCredentials"]["sharedSkills"]
    return shared


@pytest.mark.parametrize("order", ["badge first", "credly first", "together"])
async def test_two_issuers_python_is_one_shared_skill_without_a_taxonomy(
    store: GraphStore, order: str
) -> None:
    with serving({}) as server:
        base = server.url("")
        server.routes["/badges"] = Route(badges(base))
        server.routes["/credly"] = Route(credly(base))
        badge = Source("academy", "openbadges", (server.url("/badges"),))
        template = Source("cobalt", "credly", (server.url("/credly"),))
        if order == "together":
            await crawl_sources([template, badge], store, SETTINGS)
        else:
            first, second = (badge, template) if order == "badge first" else (template, badge)
            await crawl_sources([first], store, SETTINGS)
            await crawl_sources([second], store, SETTINGS)
        ids = [f"{base}/badges/py", f"{base}/org/cobalt/badge/data-engineer"]
        [py_badge, engineer] = await store.get_credentials(ids)
    methods = {link.skill.id: link.method for link in engineer.skills}
    assert methods[ESCO_PY] == LABEL_ANY_FRAMEWORK  # the string met the ESCO node
    assert "label:python" not in methods
    assert {link.skill.id: link.method for link in py_badge.skills}[ESCO_PY] == EXACT_URI
    shared = await shared_skills(store, [py_badge.id, engineer.id])
    assert [(s["id"], s["framework"]) for s in shared] == [(ESCO_PY, "ESCO")]


def test_a_page_links_its_own_mentions_to_the_nodes_it_brings() -> None:
    linker = Linker(TaxonomyIndex())
    esco = Skill(ESCO_PY, "Python", "ESCO", ESCO_PY)
    page = ParseResult(
        credentials=[
            Credential("https://a.example/1", "One", skills=(SkillLink(esco),)),
            Credential(
                "https://a.example/2", "Two", skills=(SkillLink(Skill("label:python", "Python")),)
            ),
        ]
    )
    linked, arrived = link_page(linker, page)
    assert [n.id for n in arrived] == [ESCO_PY]
    assert [(s.skill.id, s.method) for c in linked.credentials for s in c.skills] == [
        (ESCO_PY, EXACT_URI),
        (ESCO_PY, LABEL_ANY_FRAMEWORK),
    ]
    # known now: nothing arrives twice, and a local label never joins the index
    assert link_page(linker, page)[1] == []
    assert linker.learn([Skill("label:sql", "SQL")]) == []
    assert link_page(None, page) == (page, [])


async def test_the_bundled_catalogs_without_a_taxonomy_share_python(store: GraphStore) -> None:
    """The demo's catalogs, crawled with no taxonomy at all: the Open Badges issuer's and the
    Credly issuer's "Python" are one skill."""
    with DemoCatalogServer() as catalogs:
        _taxonomy, sources = demo_sources(catalogs.base)
        transport = crawl_transport(catalogs.base, allow_private=True)
        runs = await crawl_sources(sources, store, DEMO, transport=transport)
    assert all(not r.errors for r in runs), [r.error_samples for r in runs]
    ids = []
    for name in ("Python for Data Analysis", "Cobalt Certified Data Engineer – Associate"):
        page = await store.list_credentials(CredentialFilter(text=name), first=5)
        ids += [v.id for v in page.items if v.credential.name == name]
    shared = await shared_skills(store, ids)
    assert len(ids) == 2 and "Python" in [s["name"] for s in shared]
