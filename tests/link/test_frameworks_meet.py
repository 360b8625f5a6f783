"""With O*NET and ESCO loaded, crawled as a user would: the skill gap for an O*NET occupation
recommends the badges that prepare for it, whichever framework their skills and occupations
are in, and says why."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from credgraph.api import execute
from credgraph.config.sources import CrawlerSettings
from credgraph.ingest import crawl_sources
from credgraph.model import Source
from credgraph.store import GraphStore
from tests.crawl.catalogs import esco_routes
from tests.crawl.server import Route, serving
from tests.formats.releases import zip_bytes
from tests.stores import STORES, empty_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SETTINGS = CrawlerSettings(delay_seconds=0.0, allow_private_networks=True, max_retries=0)
ESCO = "http://data.europa.eu/esco/"
PROGRAMMING = ESCO + "skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97"
DATA_SCIENTIST = ESCO + "occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"
GAP = """
query ($occupation: ID!) {
  skillGap(occupation: $occupation) {
    missingSkills { id }
    recommended { credential { id } round why reasons { kind relation confidence } }
  }
}
"""


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with empty_store(request, tmp_path, "meet.db") as opened:
        yield opened


def badges(base: str) -> str:
    def badge(slug: str, name: str, *alignment: dict[str, str]) -> dict[str, Any]:
        return {
            "type": "BadgeClass",
            "id": f"{base}/badges/{slug}",
            "name": name,
            "description": name,
            "criteria": {"narrative": "Project."},
            "issuer": {"type": "Issuer", "id": f"{base}/issuer", "name": "Lab Academy"},
            "alignment": list(alignment),
        }

    return json.dumps(
        {
            "badges": [
                # an ESCO skill, and the O*NET occupation it prepares for
                badge(
                    "code",
                    "Coding for Data Science",
                    {
                        "targetName": "computer programming",
                        "targetUrl": PROGRAMMING,
                        "targetFramework": "ESCO",
                    },
                    {
                        "targetName": "Data Scientists",
                        "targetCode": "15-2051.00",
                        "targetFramework": "O*NET-SOC",
                    },
                ),
                # only the ESCO occupation
                badge(
                    "camp",
                    "Data Science Bootcamp",
                    {
                        "targetName": "data scientist",
                        "targetUrl": DATA_SCIENTIST,
                        "targetFramework": "ESCO",
                    },
                ),
            ]
        }
    )


async def test_the_gap_for_an_onet_occupation_recommends_what_prepares_for_it(
    store: GraphStore,
) -> None:
    routes = esco_routes()
    routes["/onet/db.zip"] = Route(
        zip_bytes(FIXTURES / "onet", "db_30_1_text"), content_type="application/zip"
    )
    tables = ("ESCO_to_ONET-SOC.csv", "isco08_soc2018.csv")  # occupations only
    for name in tables:
        routes[f"/xw/{name}"] = Route(
            (FIXTURES / "crosswalk" / name).read_bytes(), content_type="text/csv"
        )
    with serving(routes) as server:
        base = server.url("")
        server.routes["/badges"] = Route(badges(base))
        await crawl_sources(
            [
                Source("esco", "esco", (server.url("/esco/"),)),
                Source("onet", "onet", (server.url("/onet/db.zip"),)),
            ],
            store,
            SETTINGS,
        )
        await crawl_sources(
            [Source("xw", "crosswalk", tuple(server.url(f"/xw/{n}") for n in tables))],
            store,
            SETTINGS,
        )
        await crawl_sources(
            [Source("lab", "openbadges", (server.url("/badges"),))], store, SETTINGS
        )
    # no crosswalk names a skill: O*NET's Programming and ESCO's were matched by their labels
    [related] = (await store.related_many(["onet:2.B.3.e"]))["onet:2.B.3.e"]
    assert (related.id, related.method, related.stated) == (PROGRAMMING, "lexical", False)
    result = await execute(store, GAP, {"occupation": "15-2051.00"})
    assert not result.errors, result.errors
    assert result.data is not None
    gap = result.data["skillGap"]
    assert "onet:2.B.3.e" in [s["id"] for s in gap["missingSkills"]]
    picks = {r["credential"]["id"].rsplit("/", 1)[-1]: r for r in gap["recommended"]}
    assert [r["credential"]["id"].rsplit("/", 1)[-1] for r in gap["recommended"]] == [
        "code",
        "camp",
    ]
    code = picks["code"]
    assert code["round"] == "EQUIVALENT_COVER"
    assert code["why"].startswith("Covers Programming through computer programming (lexical, ")
    assert code["why"].endswith("; prepares for Data Scientists (15-2051.00).")
    camp = picks["camp"]
    assert camp["round"] == "OCCUPATION"
    assert camp["why"] == (
        "Prepares for data scientist (2511.4), crosswalk as the one asked about."
    )
    assert camp["reasons"] == [{"kind": "PREPARES_FOR", "relation": "crosswalk", "confidence": 1.0}]
