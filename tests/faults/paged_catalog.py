"""A realistic catalog for fault tests: pages of badges with skills, occupations and one
issuer, linked by `next`, served by tests/crawl/server.py, each page's delay adjustable so a
fault can be injected while a crawl is surely mid-way."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from credgraph.model import Source
from tests.crawl.catalogs import ISSUER, badge, page
from tests.crawl.server import CatalogServer, Route

PAGES = 10
BADGES_PER_PAGE = 4


def catalog_routes(base: str) -> dict[str, Route]:
    routes = {
        "/robots.txt": Route("User-agent: *\nAllow: /\n", content_type="text/plain"),
        "/issuer": Route(json.dumps(ISSUER).replace("{base}", base)),
    }
    for p in range(1, PAGES + 1):
        numbers = range((p - 1) * BADGES_PER_PAGE + 1, p * BADGES_PER_PAGE + 1)
        badges = [
            badge(
                n,
                f"Badge {n}",
                skills=[f"Skill {n % 9}", f"Skill {n % 5 + 20}"],
                onet="15-2051.00" if n % 3 == 0 else None,
            )
            for n in numbers
        ]
        following = f"/badges?page={p + 1}" if p < PAGES else None
        routes[f"/badges?page={p}"] = Route(page(badges, following, base))
    return routes


def set_delay(server: CatalogServer, seconds: float) -> None:
    for path, route in server.routes.items():
        if path.startswith("/badges"):
            route.delay = seconds


def pages_served(server: CatalogServer) -> int:
    return sum(1 for h in server.log if h.path.startswith("/badges") and h.status == 200)


@contextmanager
def serving_catalog() -> Iterator[CatalogServer]:
    """The catalog on a local server of its own, for as long as the block runs."""
    with CatalogServer() as server:
        server.routes.update(catalog_routes(server.url("")))
        yield server


def catalog_source(server: CatalogServer, source_id: str) -> Source:
    return Source(source_id, "openbadges", (server.url("/badges?page=1"),))
