"""Crawl runs over real HTTP: pages, provenance, bad documents, re-crawls, staleness."""

from __future__ import annotations

from dataclasses import replace

from credgraph.config.sources import CrawlerSettings
from credgraph.ingest import crawl_sources
from credgraph.model import CrawlStatus, Source
from credgraph.store import GraphStore
from tests.crawl.catalogs import acme_pages
from tests.crawl.server import Route, serving

SETTINGS = CrawlerSettings(
    delay_seconds=0.0,
    allow_private_networks=True,
    timeout_seconds=1.0,
    max_retries=1,
    max_response_bytes=50_000,
    stale_after_misses=2,
)


def acme_routes(base_url: str) -> dict[str, Route]:
    routes = {path: Route(body) for path, body in acme_pages(base_url).items()}
    routes["/robots.txt"] = Route("User-agent: *\nDisallow: /private\n", content_type="text/plain")
    return routes


async def test_a_paged_catalog_becomes_graph_with_provenance(store: GraphStore) -> None:
    with serving({}) as server:
        base = server.url("")
        server.routes.update(acme_routes(base))
        source = Source("acme", "openbadges", (server.url("/badges?page=1"),), licence="CC-BY-4.0")
        [run] = await crawl_sources([source], store, SETTINGS)
    assert run.status is CrawlStatus.PARTIAL, run.error_samples
    assert run.fetched == 3
    reasons = " | ".join(e.reason for e in run.error_samples)
    assert "pagination loop" in reasons
    assert "duplicate id" in reasons
    assert "name" in reasons  # the nameless badge is reported, not stored
    stats = await store.stats()
    assert stats.credentials == 5
    [sql] = await store.get_credentials([f"{base}/badges/1"])
    assert sql.issuer is not None and sql.issuer.name == "Acme Skills Academy"
    assert [s.skill.name for s in sql.skills] == ["SQL"]
    assert [o.occupation.code for o in sql.occupations] == ["15-2051.00"]
    assert sql.credential.description == "Badge number 1: practical skills assessed by a project."
    [prov] = sql.provenance
    assert (prov.source_id, prov.format, prov.licence) == ("acme", "openbadges", "CC-BY-4.0")
    assert prov.url in (server.url("/badges?page=1"), server.url("/badges?page=2"))
    assert len(server.hits("/issuer")) == 1  # the issuer document is fetched once per run
    assert all(h.headers["user-agent"].startswith("credgraph/") for h in server.log)


async def test_recrawl_of_an_unchanged_catalog_is_all_304_and_writes_nothing(
    store: GraphStore,
) -> None:
    with serving({}) as server:
        server.routes.update(acme_routes(server.url("")))
        source = Source("acme", "openbadges", (server.url("/badges?page=1"),))
        await crawl_sources([source], store, SETTINGS)
        before = await store.stats()
        [again] = await crawl_sources([source], store, SETTINGS)
    assert again.not_modified == 3 and again.fetched == 0
    assert (again.created, again.updated) == (0, 0)
    statuses = [h.status for h in server.log if h.path.startswith("/badges")]
    assert statuses[-3:] == [304, 304, 304]
    after = await store.stats()
    assert (after.credentials, after.relationships) == (before.credentials, before.relationships)
    assert after.stale_credentials == 0  # 304 pages still count their records as seen


BAD_ROUTES: dict[str, Route] = {
    "/robots.txt": Route("User-agent: *\nDisallow: /private\n", content_type="text/plain"),
    "/invalid-json": Route('{"badges": [{"name": "x",'),
    "/html-error": Route(
        "<html><body>Service temporarily unavailable</body></html>", content_type="text/html"
    ),
    "/truncated": Route('{"badges": [' + '{"name": "n"},' * 200 + "]}", truncate_to=300),
    "/404": Route("{}", status=404),
    "/410": Route("{}", status=410),
    "/500": Route("oops", status=500),
    "/slow": Route("{}", delay=4),
    "/loop-a": Route(status=302, headers={"Location": "/loop-b"}),
    "/loop-b": Route(status=302, headers={"Location": "/loop-a"}),
    "/oversized": Route('{"badges": [], "pad": "' + "x" * 60_000 + '"}'),
    "/latin1": Route(b'{"badges": [{"name": "Z\xfcrich"}]}'),
    "/private/badges": Route('{"badges": []}'),
    "/ratelimited": Route('{"badges": []}', fail_first=1, fail_status=429, retry_after="1"),
}


async def test_bad_documents_are_recorded_and_the_run_continues(store: GraphStore) -> None:
    with serving(dict(BAD_ROUTES)) as server:
        server.routes.update(acme_routes(server.url("")))
        good = Source("acme", "openbadges", (server.url("/badges?page=1"),))
        await crawl_sources([good], store, SETTINGS)
        before = await store.stats()
        paths = [p for p in BAD_ROUTES if p != "/robots.txt" and p != "/loop-b"]
        bad = Source("bad", "openbadges", tuple(server.url(p) for p in paths))
        [run] = await crawl_sources([bad], store, SETTINGS)
    assert run.status is CrawlStatus.PARTIAL  # the 429 page recovered, so not FAILED
    assert run.skipped_by_robots == 1
    reasons = {s.url.removeprefix(server.url("")): s.reason for s in run.error_samples}
    expected = {
        "/invalid-json": "invalid JSON",
        "/html-error": "got HTML",
        "/truncated": "incomplete",
        "/404": "HTTP 404",
        "/410": "HTTP 410",
        "/500": "HTTP 500",
        "/slow": "timed out",
        "/loop-a": "redirect loop",
        "/oversized": "cap",
        "/latin1": "not valid UTF-8",
    }
    for path, fragment in expected.items():
        assert fragment in reasons.get(path, ""), (path, reasons.get(path))
    assert run.errors == len(expected)
    after = await store.stats()
    assert (after.credentials, after.relationships) == (before.credentials, before.relationships)


async def test_a_page_that_breaks_later_keeps_its_records(store: GraphStore) -> None:
    with serving({}) as server:
        server.routes.update(acme_routes(server.url("")))
        source = Source("acme", "openbadges", (server.url("/badges?page=1"),))
        await crawl_sources([source], store, SETTINGS)
        server.routes["/badges?page=2"] = Route(
            "<html>500 Internal Error</html>", content_type="text/html"
        )
        for _ in range(3):  # more runs than stale_after_misses
            [run] = await crawl_sources([source], store, SETTINGS)
            assert run.status is CrawlStatus.PARTIAL
        [viz] = await store.get_credentials([server.url("/badges/4")])
    assert viz.credential.name == "Data Visualisation"
    assert not viz.stale  # a broken page is not evidence that its records are gone


async def test_records_gone_from_the_catalog_become_stale_not_deleted(store: GraphStore) -> None:
    with serving({}) as server:
        base = server.url("")
        server.routes.update(acme_routes(base))
        source = Source("acme", "openbadges", (server.url("/badges?page=1"),))
        await crawl_sources([source], store, SETTINGS)
        pages = acme_pages(base)
        server.routes["/badges?page=3"] = Route(
            pages["/badges?page=3"]
            .replace("Zürich", "Zurich")
            .replace('"badges": [', '"badges": [], "x": [')
        )
        for _ in range(2):
            await crawl_sources([source], store, SETTINGS)
        [gone] = await store.get_credentials([f"{base}/badges/6"])
    assert gone.stale
    assert (await store.stats()).credentials == 5


async def test_a_page_that_fails_does_not_make_the_pages_after_it_missing(
    store: GraphStore,
) -> None:
    # Page 2 answers 503 on later runs: the walk goes on to page 3 through the link saved
    # last time, and no badge of pages 2 or 3 counts as missing (two misses make stale here).
    with serving({}) as server:
        base = server.url("")
        server.routes.update(acme_routes(base))
        source = Source("acme", "openbadges", (server.url("/badges?page=1"),))
        await crawl_sources([source], store, SETTINGS)
        stored = {
            v.id for v in await store.get_credentials([f"{base}/badges/{n}" for n in range(9)])
        }
        server.routes["/badges?page=2"] = Route("busy", status=503)
        for _ in range(2):
            [run] = await crawl_sources([source], store, SETTINGS)
            assert any(e.url.endswith("page=2") for e in run.error_samples), run.error_samples
        assert len(server.hits("/badges?page=3")) == 3  # walked every run, page 2 or not
        views = await store.get_credentials(sorted(stored))
    assert views and not [v.id for v in views if v.stale]


async def test_a_source_that_cannot_be_reached_fails_and_exit_code_says_so(
    store: GraphStore,
) -> None:
    source = Source("nowhere", "openbadges", ("http://127.0.0.1:9/badges",))
    [run] = await crawl_sources([source], store, replace(SETTINGS, max_retries=0))
    assert run.status is CrawlStatus.FAILED
    reason = run.error_samples[0].reason
    # A network failure is worded as one, not as a robots.txt policy.
    assert reason.startswith("network failure:") and "RFC 9309" not in reason, reason
    assert (await store.crawl_runs("nowhere"))[0].status is CrawlStatus.FAILED
