"""Documents a page names by URL (an Open Badges BadgeClass, an issuer profile) are fetched
and handed to the page's parse: as many rounds as the links are deep (a hosted assertion names
its BadgeClass, which names its issuer); each page first given every one the run has fetched
while their text is under a bound, past it the failed fetches and the ones asked for last; and
what a page still lacks past the limits a warning naming the limit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credgraph.formats.base import Document, ParseResult
from credgraph.ingest import crawl_sources, linked
from credgraph.ingest.documents import MAX_LINK_ROUNDS, MAX_NEEDS_PER_DOCUMENT
from credgraph.ingest.parse_workers import ParseWorkers
from credgraph.model import CrawlRun, CrawlStatus, Source
from credgraph.store import GraphStore
from tests.crawl.server import CatalogServer, Route, serving
from tests.crawl.test_all_formats import Reroute
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
    """Parse workers that note the linked documents each parse was given (the URLs' last
    path segments)."""

    def __init__(self) -> None:
        super().__init__()
        self.given: list[list[str]] = []

    async def parse(self, document: Document) -> ParseResult:
        self.given.append(sorted(u.rsplit("/", 1)[1] for u in document.linked))
        return await super().parse(document)


async def issuer_names(store: GraphStore, ids: list[str]) -> list[str | None]:
    views = {v.id: v for v in await store.get_credentials(ids)}
    issuers = [views[i].issuer for i in ids]
    return [issuer.name if issuer is not None else None for issuer in issuers]


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


async def crawl_recording(store: GraphStore, base: str) -> tuple[CrawlRun, Recording]:
    """The listing of `shared_and_own_issuers` crawled, with what each parse was given."""
    parsers = Recording()
    async with parsers:
        [run] = await crawl_sources(
            [Source("list", "openbadges", (f"{base}/list?page=1",))],
            store,
            SETTINGS,
            parsers=parsers,
        )
    return run, parsers


def shared_and_own_issuers(server: CatalogServer, pages: int) -> None:
    """Pages of a listing, each with a badge of the issuer every page shares (0) and one of
    its own issuer (the page's number), every issuer given by URL."""
    base = server.url("")
    for n in range(1, pages + 1):
        badges = [badge_class(base, 100 + n, f"{base}/issuers/0"),
                  badge_class(base, n, f"{base}/issuers/{n}")]  # fmt: skip
        following = {"next": f"{base}/list?page={n + 1}"} if n < pages else {}
        server.routes[f"/list?page={n}"] = Route(json.dumps({"badges": badges, **following}))
        server.routes[f"/issuers/{n}"] = profile(base, n)
    server.routes["/issuers/0"] = profile(base, 0)


async def test_past_the_text_bound_a_page_is_given_the_linked_documents_asked_for_last(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = 12
    with serving({}) as server:
        shared_and_own_issuers(server, pages)
        base = server.url("")
        one = len(profile(base, 10).body)  # the text of one issuer profile, as served
        monkeypatch.setattr(linked, "LINKED_TEXT_GIVEN", 3 * one + 1)
        run, parsers = await crawl_recording(store, base)
        assert [len(server.hits(f"/issuers/{n}")) for n in range(pages + 1)] == [1] * (pages + 1)
    assert run.status is CrawlStatus.SUCCEEDED, run.error_samples
    assert run.fetched == pages
    ids = [f"{base}/badges/{n}" for n in range(1, pages + 1)]
    assert await issuer_names(store, ids) == [f"Issuer {n}" for n in range(1, pages + 1)]
    assert await issuer_names(store, [f"{base}/badges/101"]) == ["Issuer 0"]
    # Every page is parsed twice: first with what it is given, then with what it asked for
    # besides (its own issuer; the shared one when it was not given).
    assert len(parsers.given) == 2 * pages
    first = parsers.given[::2]
    # Page 1 gets nothing; page 2 both issuers page 1 asked for (all the run has, under the
    # bound); from page 3 on, past it, the three asked for last, in the order asked: issuer 0
    # is asked for again whenever it was not given, so it comes and goes.
    assert first[:6] == [[], ["0", "1"], ["0", "1", "2"], ["1", "2", "3"], ["0", "3", "4"],
                         ["0", "4", "5"]], first  # fmt: skip
    assert all(len(f) == 3 for f in first[2:]), first
    # Sending every document the run had fetched, the last page's first parse got 12.


async def test_under_the_text_bound_a_page_is_given_every_linked_document_fetched(
    store: GraphStore,
) -> None:
    pages = 6
    with serving({}) as server:
        shared_and_own_issuers(server, pages)
        base = server.url("")
        run, parsers = await crawl_recording(store, base)
    assert run.status is CrawlStatus.SUCCEEDED, run.error_samples
    first = parsers.given[::2]
    assert first == [[str(n) for n in range(k + 1)] if k else [] for k in range(pages)], first


class Partners(dict[str, Route]):
    """Routes that answer any `partners.v1?ids=...` request of the Coursera API, except one
    naming `failing`, with 404."""

    def __init__(self, routes: dict[str, Route], failing: str) -> None:
        super().__init__(routes)
        self.failing = failing

    def get(self, path: str, default: Route | None = None) -> Route | None:  # type: ignore[override]
        if path.startswith("/api/partners.v1?ids="):
            ids = path.split("ids=")[1].split("&")[0].split(",")
            if self.failing in ids:
                return Route("not found", status=404)
            partners = [{"id": i, "name": f"Partner {i}", "shortName": f"p{i}"} for i in ids]
            return Route(json.dumps({"elements": partners}))
        return super().get(path, default)


async def test_a_failed_linked_document_is_always_given_so_it_is_not_asked_for_again(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Coursera asks for the partners a page lacks in one URL; a partner whose fetch failed
    is known to have failed only from that answer. Past the text bound, a page not given it
    asked for the failing partner again with its own, and lost its own partner too."""
    # Room for the failed fetch's URL, not for a partner answer besides.
    monkeypatch.setattr(linked, "LINKED_TEXT_GIVEN", 150)
    pages = 8
    with serving({}) as server:
        base = server.url("")
        routes: dict[str, Route] = {}
        for k in range(pages):
            courses = [
                {"id": f"c{k}a", "slug": f"shared-{k}", "name": f"Shared {k}", "partnerIds": ["0"]},
                {
                    "id": f"c{k}b",
                    "slug": f"own-{k}",
                    "name": f"Own {k}",
                    "partnerIds": [f"{k + 1}"],
                },
            ]
            paging = {"next": str(k + 1), "total": pages} if k + 1 < pages else {"total": pages}
            routes[f"/api/courses.v1?start={k}&limit=2"] = Route(
                json.dumps({"elements": courses, "paging": paging})
            )
        server.routes = Partners(routes, failing="0")
        [run] = await crawl_sources(
            [Source("coursera", "coursera", (f"{base}/api/courses.v1?start=0&limit=2",))],
            store,
            SETTINGS,
            transport=Reroute({"api.coursera.org": base}),
        )
        asked = [h.path for h in server.log if h.path.startswith("/api/partners.v1")]
    assert run.fetched == pages
    naming_0 = [p for p in asked if "0" in p.split("ids=")[1].split("&")[0].split(",")]
    assert len(naming_0) == 1, asked
    own = [f"https://www.coursera.org/learn/own-{k}" for k in range(pages)]
    names = await issuer_names(store, own)
    # The first page asked for both partners at once, so its own partner failed with 0.
    assert names == [None, *[f"Partner {k + 1}" for k in range(1, pages)]], names


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
    assert warning.startswith("5 linked document(s) not read")
    assert f"the page names more than {MAX_NEEDS_PER_DOCUMENT} to fetch" in warning
    names = await issuer_names(store, [f"{base}/badges/{n}" for n in range(badges)])
    assert sum(name is not None and name.startswith("Issuer ") for name in names) == (
        MAX_NEEDS_PER_DOCUMENT
    )


async def test_a_parse_still_asking_after_the_rounds_says_so(store: GraphStore) -> None:
    """A CTDL credential owned by four organisations by URI, none of which can be fetched:
    its parse asks for the next owner each round, one fallback a round."""
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "ctdl" / "badge-org-by-uri.json"
    with serving({}) as server:
        base = server.url("")
        doc = json.loads(fixture.read_text(encoding="utf-8"))
        doc["ceterms:ownedBy"] = [f"{base}/orgs/{c}" for c in "ABCD"]
        doc["ceterms:offeredBy"] = []
        server.routes["/badge"] = Route(json.dumps(doc), content_type="application/ld+json")
        [run] = await crawl_sources([Source("c", "ctdl", (f"{base}/badge",))], store, SETTINGS)
        asked = [h.path for h in server.log if h.path.startswith("/orgs/")]
    assert asked == ["/orgs/A", "/orgs/B", "/orgs/C"]
    [warning] = [e.reason for e in run.error_samples if "not read" in e.reason]
    assert warning.startswith(f"1 linked document(s) not read ({base}/orgs/D...)")
    assert f"its parse still asked after {MAX_LINK_ROUNDS} rounds" in warning
