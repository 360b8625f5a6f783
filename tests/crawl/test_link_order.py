"""A credential's links do not depend on the order its catalog and a taxonomy are crawled in:
an alignment by code to O*NET's content model ("2.A.1.e", framework "O*NET Content Model")
meets O*NET's node whether O*NET was imported before the catalog, after it, or in the same
crawl; the mention's own node (known only from the mention) never stands in for it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from credgraph.analysis.skill_gap import skill_gap
from credgraph.config.sources import CrawlerSettings
from credgraph.ingest import crawl_sources
from credgraph.link import EXACT_CODE
from credgraph.model import CrawlStatus, Source
from credgraph.store import GraphStore
from tests.crawl.server import CatalogServer, Route, serving
from tests.formats.releases import zip_bytes
from tests.stores import STORES, empty_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SETTINGS = CrawlerSettings(delay_seconds=0.0, allow_private_networks=True, max_retries=0)
CREDENTIAL = "ce-00000000-0000-4000-8000-000000000001"
ISSUER = "ce-00000000-0000-4000-8000-0000000000aa"
MATHEMATICS, PROGRAMMING, TABLEAU = "onet:2.A.1.e", "onet:2.B.3.e", "onet-tech:tableau"


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with empty_store(request, tmp_path, "order.db") as opened:
        yield opened


def aligned(name: str, code: str | None = None) -> dict[str, Any]:
    alignment: dict[str, Any] = {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:targetNodeName": {"en-US": name},
    }
    if code:
        alignment["ceterms:codedNotation"] = code
        alignment["ceterms:frameworkName"] = {"en-US": "O*NET Content Model"}
    return alignment


def catalog(base: str) -> str:
    """A CTDL graph of one certificate aligned to two O*NET elements by code (as the demo's
    own CTDL is) and to "Tableau" by name only."""
    issuer = f"{base}/resources/{ISSUER}"
    return json.dumps(
        {
            "@context": "https://credreg.net/ctdl/schema/context/json",
            "@id": f"{base}/graph.json",
            "@graph": [
                {
                    "@id": issuer,
                    "@type": "ceterms:CredentialOrganization",
                    "ceterms:ctid": ISSUER,
                    "ceterms:name": {"en-US": "Test Org"},
                    "ceterms:subjectWebpage": "https://x.example.edu/",
                },
                {
                    "@id": f"{base}/resources/{CREDENTIAL}",
                    "@type": "ceterms:Certificate",
                    "ceterms:ctid": CREDENTIAL,
                    "ceterms:name": {"en-US": "Applied Maths Certificate"},
                    "ceterms:subjectWebpage": "https://x.example.edu/1",
                    "ceterms:ownedBy": [issuer],
                    "ceterms:requires": [
                        {
                            "@type": "ceterms:ConditionProfile",
                            "ceterms:targetCompetency": [
                                aligned("Mathematics", "2.A.1.e"),
                                aligned("Tableau"),
                                aligned("Programming", "2.B.3.e"),
                            ],
                        }
                    ],
                },
            ],
        }
    )


def routes() -> dict[str, Route]:
    return {
        "/onet/db.zip": Route(
            zip_bytes(FIXTURES / "onet", "db_30_1_text"), content_type="application/zip"
        ),
        "/ctdl/graph.json": Route(catalog("http://ctdl.example/ctdl")),
    }


def onet(server: CatalogServer) -> Source:
    return Source("onet", "onet", (server.url("/onet/db.zip"),))


def ctdl(server: CatalogServer) -> Source:
    return Source("cat", "ctdl", (server.url("/ctdl/graph.json"),))


async def crawled(store: GraphStore, *runs: list[Callable[[CatalogServer], Source]]) -> None:
    """Each list of sources crawled as one `crawl_sources` call, in turn."""
    with serving(routes()) as server:
        for sources in runs:
            done = await crawl_sources([s(server) for s in sources], store, SETTINGS)
            for run in done:
                assert run.status is CrawlStatus.SUCCEEDED, run.error_samples


async def links_of(store: GraphStore) -> dict[str, str | None]:
    [view] = await store.get_credentials([CREDENTIAL])
    return {link.skill.id: link.method for link in view.skills}


async def covered_as_taught(store: GraphStore) -> set[str]:
    """The data scientist's required skills the credential covers itself (not through an
    equivalent, such as a close match between its own node and O*NET's)."""
    gap = await skill_gap(store, "onet:15-2051.00", [CREDENTIAL])
    return set(gap.covered) - set(gap.covered_through)


@pytest.mark.parametrize(
    "runs",
    [
        pytest.param([[onet], [ctdl]], id="taxonomy-then-catalog"),
        pytest.param([[ctdl], [onet]], id="catalog-then-taxonomy"),
        pytest.param([[onet, ctdl]], id="one-crawl"),
        pytest.param([[ctdl, onet]], id="one-crawl-catalog-listed-first"),
    ],
)
async def test_code_alignments_meet_onet_whatever_the_order(
    store: GraphStore, runs: list[list[Callable[[CatalogServer], Source]]]
) -> None:
    await crawled(store, *runs)
    links = await links_of(store)
    assert set(links) == {MATHEMATICS, PROGRAMMING, TABLEAU}
    assert links[MATHEMATICS] == links[PROGRAMMING] == EXACT_CODE
    assert {MATHEMATICS, PROGRAMMING, TABLEAU} <= await covered_as_taught(store)
