"""Every catalog format crawled end to end: real HTTP on 127.0.0.1, the real parser, a real
SQLite store, no mocks.

The fixture bodies name the hosts they were written for (www.credly.com, the Credential Engine
sandbox, badges.universite-exemple.fr...). They are served here with those host prefixes
rewritten to the local server, so that body `next` links, Credly's `metadata.next_page_url`,
Coursera's `paging.next` offsets, CTDL envelope paging, `Link: rel=next` headers, issuers and
organisations fetched by URL (`needs`), and robots.txt -> sitemap discovery all go over HTTP.

Coursera's parser builds its partners.v1 address on api.coursera.org itself, whatever host
served the course list; that one host name is routed to the local server by the transport
(`Reroute`), which still sends a real HTTP request over loopback.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx

from credgraph.config.sources import CrawlerSettings
from credgraph.ingest import crawl_sources
from credgraph.model import CrawlRun, CrawlStatus, Source
from credgraph.model.values import CredentialType, Credits, Money
from credgraph.model.views import CredentialView, GraphStats
from credgraph.store import GraphStore
from tests.crawl.server import CatalogServer, Route, serving

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SETTINGS = CrawlerSettings(
    delay_seconds=0.0,
    allow_private_networks=True,
    timeout_seconds=2.0,
    max_retries=1,
    max_response_bytes=500_000,
    stale_after_misses=2,
)
HTML = "text/html; charset=utf-8"
XML = "application/xml"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def rehost(text: str, base: str, hosts: tuple[str, ...]) -> str:
    for host in hosts:
        text = text.replace(host, base)
    return text


class Reroute(httpx.AsyncBaseTransport):
    """Send requests for the named hosts to another origin (a local server) over real HTTP;
    requests for 127.0.0.1 go out unchanged; any other host goes to `every_host` when given,
    else is refused, so that a link left pointing at the internet fails the test instead of
    leaving the machine. The response keeps the URL that was asked for."""

    def __init__(self, hosts: dict[str, str], every_host: str | None = None) -> None:
        self.hosts = {host: httpx.URL(origin) for host, origin in hosts.items()}
        self.every_host = httpx.URL(every_host) if every_host is not None else None
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = self.hosts.get(request.url.host, self.every_host)
        if origin is None and request.url.host != "127.0.0.1":
            raise httpx.ConnectError(f"test crawl refuses to reach {request.url.host}")
        if origin is not None:
            url = request.url.copy_with(scheme=origin.scheme, host=origin.host, port=origin.port)
            request = httpx.Request(
                request.method,
                url,
                headers=request.headers,
                stream=request.stream,
                extensions=request.extensions,
            )
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


# -- the six catalogs ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Catalog:
    format: str
    start: str  # path of the first document
    hosts: tuple[str, ...]  # host prefixes in the bodies that stand for the local server
    routes: Callable[[Callable[..., Route]], dict[str, Route]]


OB_BADGES = "/public/issuers/4Tq9wK2pSx6mZbYc/badges"
OPENBADGES = Catalog(
    "openbadges",
    f"{OB_BADGES}?page=1",
    (
        "https://api.badges.example.eu",
        "https://badges.universite-exemple.fr",
        "https://openbadges.example.org",
    ),
    lambda served: {
        # Badgr listing; pagination.next is a relative URL
        f"{OB_BADGES}?page=1": served("openbadges/badgr-issuer-badges-page-1.json"),
        # OB 3.0 achievements; links.next is absolute
        f"{OB_BADGES}?page=2": served("openbadges/ob3-achievements-page-2.json"),
        "/api/achievements?page=3": served("openbadges/bare-array.json"),
        # issuers named only by URL: fetched through `needs`
        "/public/issuers/4Tq9wK2pSx6mZbYc": served("openbadges/issuer-4Tq9wK2pSx6mZbYc.json"),
        "/profiles/univ": served("crawl/ob3-profile-univ.json"),
    },
)

CE_PAGE = "/ce-registry/envelopes?page={}&per_page=2"
LAKESHORE = "ce-8fe3838c-c11b-4758-9c36-e2c5a9fecf23"
RIVERBEND = "ce-f7ad5f94-2e16-4c8a-891c-fe4dc7e5e82b"


def _lakeshore_resource() -> str:
    """The organisation's registry resource: what page 1's envelope decodes to."""
    page = json.loads(fixture("ctdl/envelopes-page-1.json"))
    [organisation] = [
        e["decoded_resource"] for e in page["data"] if e["envelope_ceterms_ctid"] == LAKESHORE
    ]
    return json.dumps(organisation)


CTDL = Catalog(
    "ctdl",
    CE_PAGE.format(1),
    ("https://sandbox.credentialengineregistry.org",),
    lambda served: {
        CE_PAGE.format(1): served("ctdl/envelopes-page-1.json"),  # `next` in the body
        # a bare array: its next page is only in the Link header
        CE_PAGE.format(2): served(
            "ctdl/envelopes-page-2.json", headers={"Link": f'<{CE_PAGE.format(3)}>; rel="next"'}
        ),
        CE_PAGE.format(3): served("crawl/ctdl-envelopes-page-3.json"),
        f"/resources/{LAKESHORE}": served(text=_lakeshore_resource()),
        f"/resources/{RIVERBEND}": served("ctdl/badge-org-by-uri-linked-graph.json"),
    },
)

CREDLY_PAGE = "/organizations/nordlicht-akademie/badges?page={}&sort=most_popular"
CREDLY = Catalog(
    "credly",
    CREDLY_PAGE.format(1),
    ("https://www.credly.com",),
    lambda served: {
        CREDLY_PAGE.format(1): served("credly/org-badges-page-1.json"),
        CREDLY_PAGE.format(2): served("crawl/credly-org-badges-page-2.json"),
    },
)


def _courses_sitemap(served: Callable[..., Route]) -> Route:
    plain = served("crawl/schemaorg-sitemap-courses.xml", content_type=XML)
    return Route(gzip.compress(plain.payload()), content_type="application/gzip")


SCHEMAORG = Catalog(
    "schemaorg",
    "/robots.txt",
    ("https://www.example-tech.edu",),
    lambda served: {
        # also the host's robots rules; its Sitemap: lines lead to everything else
        "/robots.txt": served("schemaorg/robots.txt", content_type="text/plain"),
        "/sitemap-index.xml": served("schemaorg/sitemap-index.xml", content_type=XML),
        "/sitemaps/programs.xml": served("schemaorg/sitemap-programs.xml", content_type=XML),
        "/sitemaps/courses.xml.gz": _courses_sitemap(served),
        # robots.txt names the same sitemap uncompressed, by a relative URL
        "/sitemaps/courses.xml": served("crawl/schemaorg-sitemap-courses.xml", content_type=XML),
        "/programs/data-analytics": served("schemaorg/page-three-blocks.html", content_type=HTML),
        "/programs/cyber-security": served(
            "crawl/schemaorg-cyber-security.html", content_type=HTML
        ),
        "/programs/welding": served("schemaorg/page-no-jsonld.html", content_type=HTML),
        "/courses/python-basics": served("crawl/schemaorg-python-course.html", content_type=HTML),
        # /programs/nursing?track=evening&year=2025 is in the sitemap but gone (404)
    },
)

CASE_API = "/ims/case/v1p0"
DATA_LITERACY = "db917a56-b295-4ec6-8499-8c6a3b03d17f"
DIGITAL_LITERACY = "b7f90cac-f17e-4e51-88d6-18ab896d510b"
CASE = Catalog(
    "case",
    f"{CASE_API}/CFDocuments",
    ("https://frameworks.example.edu",),
    lambda served: {
        f"{CASE_API}/CFDocuments": served("case/cfdocuments-listing.json"),
        f"{CASE_API}/CFPackages/{DATA_LITERACY}": served("case/cfpackage-data-literacy.json"),
        f"{CASE_API}/CFPackages/{DIGITAL_LITERACY}": served(
            "crawl/case-cfpackage-digital-literacy.json"
        ),
    },
)

COURSES = "/api/courses.v1?start={}&limit=5"
PARTNERS = "/api/partners.v1?ids=1142,13,77&fields=name,shortName,description,homeLink,links"
COURSERA = Catalog(
    "coursera",
    COURSES.format(0),
    (),
    lambda served: {
        COURSES.format(0): served("coursera/courses-page.json"),  # paging.next = "105"
        COURSES.format(105): served("crawl/coursera-courses-page-2.json"),
        PARTNERS: served("crawl/coursera-partners.json"),  # asked for on api.coursera.org
    },
)

CATALOGS = (OPENBADGES, CTDL, CREDLY, SCHEMAORG, CASE, COURSERA)


@dataclass
class Site:
    catalog: Catalog
    server: CatalogServer

    @property
    def base(self) -> str:
        return self.server.url("")

    def url(self, path: str) -> str:
        return self.server.url(path)

    def source(self) -> Source:
        fmt = self.catalog.format
        return Source(fmt, fmt, (self.url(self.catalog.start),), licence=f"{fmt}-terms")

    def provenance(self, view: CredentialView) -> list[tuple[str, str, str]]:
        return [(p.source_id, p.format, p.url.removeprefix(self.base)) for p in view.provenance]


@contextmanager
def site(catalog: Catalog) -> Iterator[Site]:
    with serving({}) as server:
        base = server.url("")

        def served(name: str | None = None, *, text: str | None = None, **route: object) -> Route:
            body = fixture(name) if name is not None else text or ""
            return Route(rehost(body, base, catalog.hosts), **route)  # type: ignore[arg-type]

        server.routes.update(catalog.routes(served))
        yield Site(catalog, server)


def transport_for(sites: list[Site]) -> Reroute:
    coursera = [s for s in sites if s.catalog is COURSERA]
    return Reroute({"api.coursera.org": coursera[0].base} if coursera else {})


async def crawl(store: GraphStore, *sites: Site) -> list[CrawlRun]:
    return await crawl_sources(
        [s.source() for s in sites], store, SETTINGS, transport=transport_for(list(sites))
    )


def stop_together(servers: list[CatalogServer]) -> None:
    """Stop the servers' loops in parallel (each takes up to its 0.5 s poll to notice)."""
    threads = [threading.Thread(target=s.httpd.shutdown) for s in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def reasons(run: CrawlRun) -> str:
    return " | ".join(e.reason for e in run.error_samples)


async def one(store: GraphStore, credential_id: str) -> CredentialView:
    [view] = await store.get_credentials([credential_id])
    return view


def skill_names(view: CredentialView) -> list[str]:
    return [link.skill.name for link in view.skills]


def occupation_ids(view: CredentialView) -> list[str]:
    return [link.occupation.id for link in view.occupations]


def counts(stats: GraphStats) -> tuple[int, int, int, int]:
    return (stats.credentials, stats.issuers, stats.skills, stats.occupations)


# -- one format at a time -----------------------------------------------------------------------
async def test_open_badges_listing_pages_and_issuers_fetched_by_url(store: GraphStore) -> None:
    with site(OPENBADGES) as s:
        [run] = await crawl(store, s)
    assert run.status is CrawlStatus.PARTIAL  # the listings hold records that are skipped
    assert (run.fetched, run.not_modified) == (3, 0)
    assert "no usable name" in reasons(run) and "not an Open Badges object" in reasons(run)
    assert counts(await store.stats()) == (7, 6, 4, 5)
    for path in ("/public/issuers/4Tq9wK2pSx6mZbYc", "/profiles/univ", "/api/achievements?page=3"):
        assert len(s.server.hits(path)) == 1, path

    python = await one(store, s.url("/public/badges/Kd7f3QmZRn2w"))
    assert (python.credential.name, python.credential.type) == (
        "Datenanalyse mit Python – Grundlagen",
        CredentialType.BADGE,
    )
    assert python.issuer is not None  # the issuer document fetched by its URL
    assert python.issuer.name == "Hochschule für Angewandte Datenkunde Köln"
    assert python.issuer.email == "badges@datenkunde.example.de"
    assert skill_names(python) == ["Python (Computerprogrammierung)", "Critical Thinking"]
    assert occupation_ids(python) == ["onet:15-2051.00"]
    assert s.provenance(python) == [("openbadges", "openbadges", f"{OB_BADGES}?page=1")]
    assert python.provenance[0].licence == "openbadges-terms"

    micro = await one(store, s.url("/achievements/mc-ia-responsable"))
    assert micro.credential.type is CredentialType.MICRO_CREDENTIAL
    assert micro.credential.credits == Credits(5.0, "ECTS")
    assert micro.issuer is not None
    assert (micro.issuer.name, micro.issuer.country) == ("Université Exemple", "FR")
    assert skill_names(micro) == ["appliquer les principes éthiques de l'IA"]
    assert s.provenance(micro) == [("openbadges", "openbadges", f"{OB_BADGES}?page=2")]

    laser = await one(store, s.url("/badges/laser-cutter"))
    assert laser.issuer is not None and laser.issuer.name == "Makerspace Nord"
    assert s.provenance(laser) == [("openbadges", "openbadges", "/api/achievements?page=3")]


async def test_ctdl_envelope_pages_link_header_and_organisations_by_uri(store: GraphStore) -> None:
    with site(CTDL) as s:
        [run] = await crawl(store, s)
    assert run.status is CrawlStatus.PARTIAL  # a deprecated credential, a deleted envelope
    assert run.fetched == 3
    assert "was deleted; skipped" in reasons(run)
    assert counts(await store.stats()) == (3, 4, 1, 2)
    assert len(s.server.hits(CE_PAGE.format(3))) == 1  # reached through the Link header only
    assert len(s.server.hits(f"/resources/{LAKESHORE}")) == 1
    assert len(s.server.hits(f"/resources/{RIVERBEND}")) == 1

    certificate = await one(store, "ce-f4fa3c00-d286-4c57-925b-30fd09757d43")
    c = certificate.credential
    assert (c.name, c.type) == (
        "Cloud Network Administration Technical Certificate",
        CredentialType.CERTIFICATE,
    )
    assert (c.duration_hours, c.cost) == (180.0, Money(3200.0, "USD"))
    assert certificate.issuer is not None
    assert (certificate.issuer.id, certificate.issuer.name) == (
        LAKESHORE,
        "Lakeshore Technical College",
    )
    assert occupation_ids(certificate) == ["onet:15-1244.00", "onet:15-1231.00"]
    assert certificate.has_part == ("ce-11feea0d-b9ab-49d3-88ce-2b2cef454069",)
    assert s.provenance(certificate) == [("ctdl", "ctdl", CE_PAGE.format(1))]

    micro = await one(store, "ce-11feea0d-b9ab-49d3-88ce-2b2cef454069")
    assert micro.credential.type is CredentialType.MICRO_CREDENTIAL
    assert micro.issuer is not None and micro.issuer.name == "Lakeshore Technical College"
    assert skill_names(micro) == ["Configure static and dynamic routing"]
    assert [a.name for a in micro.accredited_by] == ["State Technical College Board"]
    assert s.provenance(micro) == [("ctdl", "ctdl", CE_PAGE.format(2))]

    badge = await one(store, "ce-4bc54b44-d4eb-462c-87e0-042c32759a9c")
    assert (badge.credential.type, badge.credential.duration_hours) == (CredentialType.BADGE, 1.5)
    assert badge.issuer is not None  # the organisation's graph, fetched by its URI
    assert (badge.issuer.id, badge.issuer.name) == (
        RIVERBEND,
        "Riverbend Public Library Digital Skills Lab",
    )
    assert s.provenance(badge) == [("ctdl", "ctdl", CE_PAGE.format(3))]


async def test_credly_templates_follow_next_page_url(store: GraphStore) -> None:
    with site(CREDLY) as s:
        [run] = await crawl(store, s)
    assert run.status is CrawlStatus.PARTIAL
    assert run.fetched == 2
    for fragment in ("no usable name", "is in state archived", "is in state draft"):
        assert fragment in reasons(run)
    assert counts(await store.stats()) == (4, 1, 7, 2)

    k8s = await one(store, s.url("/org/nordlicht-akademie/badge/kubernetes-administration-stufe-2"))
    c = k8s.credential
    assert (c.name, c.type) == ("Kubernetes-Administration – Stufe 2", CredentialType.CERTIFICATION)
    assert (c.duration_hours, c.cost, c.level) == (45.0, Money(420.0, "EUR"), "Advanced")
    assert k8s.issuer is not None and k8s.issuer.name == "Nordlicht Akademie"
    assert skill_names(k8s) == ["Kubernetes", "Container-Orchestrierung", "Helm"]
    assert occupation_ids(k8s) == ["onet:15-1244.00"]
    assert s.provenance(k8s) == [("credly", "credly", CREDLY_PAGE.format(1))]

    terraform = await one(store, s.url("/org/nordlicht-akademie/badge/terraform-in-der-praxis"))
    assert (terraform.credential.duration_hours, terraform.credential.cost) == (
        24.0,
        Money(290.0, "EUR"),
    )
    assert occupation_ids(terraform) == ["onet:15-1244.00", "onet:15-1299.08"]
    assert s.provenance(terraform) == [("credly", "credly", CREDLY_PAGE.format(2))]

    # no url in the template: its address is built from the issuer's and its own slug
    git = await one(store, "https://www.credly.com/org/nordlicht-akademie/badge/git-essentials")
    assert (git.credential.duration_hours, git.credential.cost) == (1.5, None)
    assert skill_names(git) == ["Git", "Version Control"]


async def test_schemaorg_site_found_through_robots_and_sitemaps(store: GraphStore) -> None:
    with site(SCHEMAORG) as s:
        [run] = await crawl(store, s)
    assert run.status is CrawlStatus.PARTIAL
    # robots.txt, the index, both course sitemaps, programs.xml and four pages
    assert run.fetched == 9
    errors = {e.url.removeprefix(s.base): e.reason for e in run.error_samples}
    assert errors["/programs/nursing?track=evening&year=2025"].startswith("HTTP 404")
    assert errors["/programs/welding"] == "no JSON-LD on the page"
    assert len(s.server.hits("/courses/python-basics")) == 1  # listed by two sitemaps
    assert len(s.server.hits("/sitemaps/courses.xml.gz")) == 1
    assert counts(await store.stats()) == (4, 2, 7, 3)

    analytics = await one(store, s.url("/programs/data-analytics#program"))
    c = analytics.credential
    assert (c.name, c.type) == ("Data Analytics Certificate", CredentialType.CERTIFICATE)
    assert (c.duration_hours, c.cost) == (120.0, Money(3450.0, "USD"))
    assert analytics.issuer is not None
    assert (analytics.issuer.id, analytics.issuer.name) == (
        s.url("/"),
        "Example Institute of Technology",
    )
    assert skill_names(analytics) == ["Data visualisation", "Descriptive statistics"]
    assert occupation_ids(analytics) == ["onet:15-2051.00", "onet:15-2041.00"]
    assert [a.name for a in analytics.accredited_by] == ["Regional Accreditation Commission"]
    assert s.provenance(analytics) == [("schemaorg", "schemaorg", "/programs/data-analytics")]

    sql = await one(store, "ce-0b6f7c52-2d3a-4c1e-9f55-1a2b3c4d5e6f")  # keyed by its CTID
    assert (sql.credential.name, sql.credential.type) == ("SQL for Analysts", CredentialType.COURSE)
    assert (sql.credential.duration_hours, sql.credential.cost) == (30.0, Money(0.0, "USD"))

    cyber = await one(store, s.url("/programs/cyber-security#program"))
    assert cyber.credential.type is CredentialType.DEGREE
    assert cyber.credential.cost == Money(8900.0, "USD")
    assert occupation_ids(cyber) == ["onet:15-1212.00"]

    python = await one(store, s.url("/courses/python-basics#python-basics"))
    assert (python.credential.duration_hours, python.credential.cost) == (
        20.0,
        Money(149.0, "USD"),
    )  # reached through the gzipped sitemap
    assert python.issuer is not None and python.issuer.id == s.url("/")
    assert s.provenance(python) == [("schemaorg", "schemaorg", "/courses/python-basics")]


async def test_case_listing_leads_to_each_package(store: GraphStore) -> None:
    with site(CASE) as s:
        [run] = await crawl(store, s)
    assert run.status is CrawlStatus.PARTIAL
    assert run.fetched == 3
    assert "'Workplace Communication (retired)' gives no package address" in reasons(run)
    assert counts(await store.stats()) == (0, 0, 9, 0)  # a framework holds skills only
    assert (await store.stats()).relationships == 6  # isChildOf -> BROADER

    item = s.url(f"{CASE_API}/CFItems/400a0939-304a-4118-9371-e1bfa57a6a84")
    [sources] = await store.get_skills([item])
    assert (sources.code, sources.framework) == (
        "DL.1.1",
        "Data Literacy Competencies for Adult Learners",
    )
    assert sources.name == "Identify primary and secondary sources of data relevant to a question."
    # the store keeps provenance for credentials only; what a CASE source read is in its
    # document states
    states = await store.document_states("case")
    assert sorted(u.removeprefix(s.base) for u in states) == [
        f"{CASE_API}/CFDocuments",
        f"{CASE_API}/CFPackages/{DIGITAL_LITERACY}",
        f"{CASE_API}/CFPackages/{DATA_LITERACY}",
    ]
    phishing = s.url(f"{CASE_API}/CFItems/a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
    [child] = await store.get_skills([phishing])
    assert child.broader == (s.url(f"{CASE_API}/CFItems/e2a7c1f0-5b3d-4f8e-9a61-0c4d2b7e8f13"),)
    assert child.framework == "Digital Literacy Competencies for Adult Learners"


async def test_coursera_offset_paging_and_partners(store: GraphStore) -> None:
    with site(COURSERA) as s:
        [run] = await crawl(store, s)
    assert run.status is CrawlStatus.PARTIAL  # a nameless course, a repeated id
    assert run.fetched == 2
    assert len(s.server.hits(PARTNERS)) == 1  # one partners.v1 request for the whole page
    assert counts(await store.stats()) == (5, 4, 0, 0)

    ml = await one(store, "https://www.coursera.org/learn/machine-learning-foundations")
    assert (ml.credential.type, ml.credential.duration_hours) == (CredentialType.COURSE, 42.0)
    assert ml.issuer is not None
    assert (ml.issuer.id, ml.issuer.name) == (
        "https://api.coursera.org/api/partners.v1/13",
        "Stanford University",
    )
    assert s.provenance(ml) == [("coursera", "coursera", COURSES.format(0))]

    german = await one(store, "https://www.coursera.org/learn/datenanalyse-grundlagen")
    assert german.credential.duration_hours == 18.0  # the later of two copies on the page
    assert german.issuer is not None and german.issuer.name == "Universität Beispielstadt"

    coding = await one(store, "https://www.coursera.org/learn/creative-coding")
    assert coding.issuer is not None and coding.issuer.name == "University of London"
    assert s.provenance(coding) == [("coursera", "coursera", COURSES.format(105))]


# -- all six at once ----------------------------------------------------------------------------
DOCUMENTS = {"openbadges": 3, "ctdl": 3, "credly": 2, "schemaorg": 9, "case": 3, "coursera": 2}


async def test_all_six_formats_in_one_crawl_then_an_unchanged_recrawl(store: GraphStore) -> None:
    with ExitStack() as stack:
        sites = [stack.enter_context(site(catalog)) for catalog in CATALOGS]
        runs = await crawl(store, *sites)
        before = await store.stats()
        marks = [len(s.server.log) for s in sites]
        again = await crawl(store, *sites)
        stop_together([s.server for s in sites])
    assert [r.source_id for r in runs] == [c.format for c in CATALOGS]
    assert {r.source_id: r.fetched for r in runs} == DOCUMENTS
    assert all(r.status is CrawlStatus.PARTIAL for r in runs), [reasons(r) for r in runs]
    # 7 + 3 + 4 + 4 + 0 + 5 credentials; 6 + 4 + 1 + 2 + 0 + 4 issuers; 4 + 1 + 7 + 7 + 9 + 0
    # skills; occupations 5 + 2 + 2 + 3 less the three O*NET codes two sources share
    assert counts(before) == (23, 17, 28, 9)
    assert (before.sources, before.crawl_runs) == (6, 6)

    # one graph: the O*NET occupation is reached from a CTDL and a Credly credential
    certificate = await one(store, "ce-f4fa3c00-d286-4c57-925b-30fd09757d43")
    k8s = await one(
        store, sites[2].url("/org/nordlicht-akademie/badge/kubernetes-administration-stufe-2")
    )
    assert "onet:15-1244.00" in occupation_ids(certificate)
    assert "onet:15-1244.00" in occupation_ids(k8s)

    assert {r.source_id: r.not_modified for r in again} == DOCUMENTS
    assert all((r.fetched, r.created, r.updated) == (0, 0, 0) for r in again)
    statuses = {r.source_id: r.status for r in again}
    assert statuses.pop("schemaorg") is CrawlStatus.PARTIAL  # the sitemap's page is still gone
    assert set(statuses.values()) == {CrawlStatus.SUCCEEDED}
    after = await store.stats()
    assert counts(after) == counts(before)
    assert (after.relationships, after.stale_credentials) == (before.relationships, 0)
    for s, mark in zip(sites, marks, strict=True):
        later = s.server.log[mark:]
        conditional = [h.status for h in later if "if-none-match" in h.headers]
        assert conditional == [304] * DOCUMENTS[s.catalog.format], s.catalog.format
        assert {h.path for h in later if h.status == 200} <= {"/robots.txt"}  # rules only


# -- known defects, pinned: each turns into a failure (XPASS) once fixed --------------------------
def _jsonld_page(course: str, provider: dict[str, str]) -> str:
    block = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course,
        "provider": {"@type": "CollegeOrUniversity", **provider},
    }
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(block)}</script>'
        "</head><body></body></html>"
    )


async def test_one_schemaorg_provider_is_one_issuer_with_or_without_its_url(
    store: GraphStore,
) -> None:
    with serving({}) as server:
        org = {"@id": server.url("/#org"), "name": "Example Institute of Technology"}
        server.routes.update(
            {
                "/courses/a": Route(
                    _jsonld_page("A", {**org, "url": server.url("/")}), content_type=HTML
                ),
                "/courses/b": Route(_jsonld_page("B", org), content_type=HTML),
            }
        )
        source = Source("site", "schemaorg", (server.url("/courses/a"), server.url("/courses/b")))
        [run] = await crawl_sources([source], store, SETTINGS)
    assert run.status is CrawlStatus.SUCCEEDED
    views = await store.get_credentials([server.url("/courses/a#a"), server.url("/courses/b#b")])
    assert len({v.issuer.id for v in views if v.issuer}) == 1
    assert (await store.stats()).issuers == 1


class NoLinkOn304(CatalogServer):
    """A server whose 304 answers carry only validators, as Django's conditional GET does
    (RFC 9110 does not require a Link header on a 304)."""

    def _send(
        self,
        h: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        content_type: str | None,
        headers: dict[str, str],
        route: Route | None = None,
    ) -> None:
        if status == 304:
            headers = {k: v for k, v in headers.items() if k.lower() != "link"}
        super()._send(h, status, body, content_type, headers, route)


async def test_a_page_reached_by_link_header_survives_304_recrawls(store: GraphStore) -> None:
    def listing(n: int) -> str:
        return json.dumps(
            {
                "badges": [
                    {
                        "type": "BadgeClass",
                        "id": f"https://b.example/{n}",
                        "name": f"Badge {n}",
                        "criteria": "https://b.example/c",
                        "issuer": {"type": "Issuer", "id": "https://b.example/i", "name": "Issuer"},
                    }
                ]
            }
        )

    with NoLinkOn304(
        {"/p1": Route(listing(1), headers={"Link": '</p2>; rel="next"'}), "/p2": Route(listing(2))}
    ) as server:
        source = Source("linked", "openbadges", (server.url("/p1"),))
        for _ in range(SETTINGS.stale_after_misses + 1):
            await crawl_sources([source], store, SETTINGS)
        hits = len(server.hits("/p2"))
    [second] = await store.get_credentials(["https://b.example/2"])
    assert not second.stale
    assert hits == SETTINGS.stale_after_misses + 1
