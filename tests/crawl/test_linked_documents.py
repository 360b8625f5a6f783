"""Documents a page names by URL (an Open Badges BadgeClass, an issuer profile) are fetched
and handed to the page's parse: as many rounds as the links are deep (a hosted assertion names
its BadgeClass, which names its issuer), each page given the linked documents it uses rather
than every one the run has fetched, and what a page still lacks past the bounds a warning."""

from __future__ import annotations

import json
from typing import Any

import pytest

from credgraph.formats.base import Document, ParseResult
from credgraph.ingest import crawl_sources, documents
from credgraph.ingest.documents import MAX_NEEDS_PER_DOCUMENT
from credgraph.ingest.parse_workers import ParseWorkers
from credgraph.model import CrawlStatus, Source
from credgraph.store import GraphStore
from tests.crawl.server import Route, serving
from tests.crawl.test_crawl_run import SETTINGS

OB2 = "https://w3id.org/openbadges/v2"


def badge_class(base: str, n: int, issuer: str) -> dict[str, Any]:
    return {
        "@context": OB2,
        "type": "BadgeClass",
        "id": f"{base}/badges/{n}",
        "name": f"Badge {n}",
        "description": "A badge.",
        "criteria": {"narrative": "Do the work."},
        "image": f"{base}/badges/{n}.png",
        "issuer": issuer,
    }


def profile(base: str, n: int) -> Route:
    return Route(
        json.dumps(
            {
                "@context": OB2,
                "type": "Profile",
                "id": f"{base}/issuers/{n}",
                "name": f"Issuer {n}",
                "url": f"https://issuer{n}.example",
            }
        )
    )


class Recording(ParseWorkers):
    """Parse workers that note how many linked documents each parse was given."""

    def __init__(self) -> None:
        super().__init__()
        self.given: list[int] = []

    async def parse(self, document: Document) -> ParseResult:
        self.given.append(len(document.linked))
        return await super().parse(document)


async def issuer_names(store: GraphStore, ids: list[str]) -> list[str | None]:
    views = {v.id: v for v in await store.get_credentials(ids)}
    return [views[i].issuer.name if views[i].issuer else None for i in ids]


async def test_a_hosted_assertion_brings_its_badge_class_and_that_ones_issuer(
    store: GraphStore,
) -> None:
    with serving({}) as server:
        base = server.url("")
        assertion = {
            "@context": OB2,
            "type": "Assertion",
            "id": f"{base}/assertions/1",
            "recipient": {"type": "email", "identity": "a@example.org", "hashed": False},
            "badge": f"{base}/badges/1",
            "issuedOn": "2024-05-01",
            "verification": {"type": "hosted"},
        }
        server.routes["/awards"] = Route(json.dumps([assertion]))
        server.routes["/badges/1"] = Route(json.dumps(badge_class(base, 1, f"{base}/issuers/1")))
        server.routes["/issuers/1"] = profile(base, 1)
        [run] = await crawl_sources(
            [Source("awards", "openbadges", (f"{base}/awards",))], store, SETTINGS
        )
        assert [len(server.hits(p)) for p in ("/badges/1", "/issuers/1")] == [1, 1]
    assert run.status is CrawlStatus.SUCCEEDED, run.error_samples
    # Before, the issuer the fetched BadgeClass named was never fetched: no issuer at all.
    assert await issuer_names(store, [f"{base}/badges/1"]) == ["Issuer 1"]


async def test_each_page_is_given_the_linked_documents_asked_for_last_not_all_fetched(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    recent = 4
    monkeypatch.setattr(documents, "RECENT_LINKED", recent)
    pages = 12
    with serving({}) as server:
        base = server.url("")
        for n in range(1, pages + 1):
            # Each page: a badge of the issuer every page shares and one of its own issuer.
            badges = [badge_class(base, 100 + n, f"{base}/issuers/0"),
                      badge_class(base, n, f"{base}/issuers/{n}")]  # fmt: skip
            following = {"next": f"{base}/list?page={n + 1}"} if n < pages else {}
            server.routes[f"/list?page={n}"] = Route(json.dumps({"badges": badges, **following}))
            server.routes[f"/issuers/{n}"] = profile(base, n)
        server.routes["/issuers/0"] = profile(base, 0)
        async with Recording() as parsers:
            [run] = await crawl_sources(
                [Source("list", "openbadges", (f"{base}/list?page=1",))],
                store,
                SETTINGS,
                parsers=parsers,
            )
        assert len(server.hits("/issuers/0")) == 1
    assert run.status is CrawlStatus.SUCCEEDED, run.error_samples
    assert run.fetched == pages
    ids = [f"{base}/badges/{n}" for n in range(1, pages + 1)]
    assert await issuer_names(store, ids) == [f"Issuer {n}" for n in range(1, pages + 1)]
    assert await issuer_names(store, [f"{base}/badges/101"]) == ["Issuer 0"]
    # A page is first given the documents pages asked for last, then those it asked for
    # besides (its own issuer, and the shared one once it dropped out of the recent ones).
    # Before, every page was sent every document the run had fetched: 13 by the last page.
    assert parsers.given[0] == 0
    assert max(parsers.given) <= recent + 2, parsers.given


async def test_a_page_naming_more_documents_than_one_page_may_fetch_says_so(
    store: GraphStore,
) -> None:
    badges = MAX_NEEDS_PER_DOCUMENT + 5
    with serving({}) as server:
        base = server.url("")
        listing = [badge_class(base, n, f"{base}/issuers/{n}") for n in range(badges)]
        server.routes["/list"] = Route(json.dumps({"badges": listing}))
        for n in range(badges):
            server.routes[f"/issuers/{n}"] = profile(base, n)
        [run] = await crawl_sources(
            [Source("list", "openbadges", (f"{base}/list",))], store, SETTINGS
        )
        fetched = sum(len(server.hits(f"/issuers/{n}")) for n in range(badges))
    assert fetched == MAX_NEEDS_PER_DOCUMENT
    assert run.status is CrawlStatus.PARTIAL
    [warning] = [e.reason for e in run.error_samples if "linked document" in e.reason]
    assert warning.startswith("5 linked document(s) not fetched")
    assert f"more than {MAX_NEEDS_PER_DOCUMENT} for one page" in warning
    names = await issuer_names(store, [f"{base}/badges/{n}" for n in range(badges)])
    assert sum(name is not None and name.startswith("Issuer ") for name in names) == (
        MAX_NEEDS_PER_DOCUMENT
    )
