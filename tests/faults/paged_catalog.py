"""A realistic catalog for fault tests: pages of badges with skills, occupations and one
issuer, linked by `next`, served by tests/crawl/server.py, each page's delay adjustable so a
fault can be injected while a crawl is surely mid-way."""

from __future__ import annotations

import json

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
