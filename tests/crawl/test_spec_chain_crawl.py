"""The Open Badges 2.0 specification's own hosted-badge chain crawled over real HTTP: the
recorded Assertion, BadgeClass and Issuer Profile examples (crawlers/1edtech-openbadges-spec/)
served as published, at their example.org URLs routed to a local server.

The Assertion names its BadgeClass by URL, and the BadgeClass names its issuer by URL: the
credential is stored with its issuer only if the crawl fetches linked documents a second round
deep (the BadgeClass's own links), as a verifier following the spec would.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from credgraph.ingest import crawl_sources
from credgraph.model import CrawlStatus, Source
from credgraph.store import GraphStore
from tests.crawl.server import Route, serving
from tests.crawl.test_all_formats import SETTINGS, Reroute
from tests.crawlers.corpus import Recorded, recorded_document

SPEC_HOST = "example.org"
ASSERTION = recorded_document("ob2-assertion-hosted-spec-1.json")
BADGE_CLASS = recorded_document("ob2-badgeclass-spec-1.json")
ISSUER = recorded_document("ob2-issuer-profile-spec-1.json")
CHAIN = (ASSERTION, BADGE_CLASS, ISSUER)


def body(document: Recorded) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(document.path.read_text(encoding="utf-8"))
    return parsed


def path_of(document: Recorded) -> str:
    url = httpx.URL(document.url)
    assert url.host == SPEC_HOST, document.url
    return url.raw_path.decode()


async def test_the_spec_hosted_assertion_brings_its_badge_class_and_that_ones_issuer(
    store: GraphStore,
) -> None:
    assertion, badge_class, issuer = (body(d) for d in CHAIN)
    # the chain as the spec writes it: assertion -> BadgeClass URL -> issuer profile URL
    assert assertion["badge"] == badge_class["id"] == BADGE_CLASS.url
    assert badge_class["issuer"] == issuer["id"] == ISSUER.url

    routes = {
        path_of(d): Route(d.path.read_text(encoding="utf-8"), content_type="application/ld+json")
        for d in CHAIN
    }
    with serving(routes) as server:
        [run] = await crawl_sources(
            [Source("ob2-spec", "openbadges", (ASSERTION.url,))],
            store,
            SETTINGS,
            transport=Reroute({SPEC_HOST: server.url("")}),
        )
        hits = [len(server.hits(path_of(d))) for d in CHAIN]
    assert run.status is CrawlStatus.SUCCEEDED, run.error_samples
    assert hits == [1, 1, 1]  # the assertion crawled, each linked document fetched once

    [view] = await store.get_credentials([BADGE_CLASS.url])
    assert view.credential.name == badge_class["name"]
    assert view.credential.description == badge_class["description"]
    assert [link.skill.name for link in view.skills] == [
        a["targetName"] for a in badge_class["alignment"]
    ]
    # Fetched in the second round (the BadgeClass's link): with one round, no issuer at all.
    assert view.issuer is not None
    assert (view.issuer.id, view.issuer.name, view.issuer.url, view.issuer.email) == (
        issuer["id"],
        issuer["name"],
        issuer["url"],
        issuer["email"],
    )
    stats = await store.stats()
    assert (stats.credentials, stats.issuers) == (1, 1)
