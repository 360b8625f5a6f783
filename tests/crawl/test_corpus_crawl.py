"""Every recorded real document under crawlers/ crawled over real HTTP through the whole
pipeline (fetch, media type, URL resolution, linked documents, pagination, linking, storing)
into a fresh SQLite store, which must then hold what the document's golden snapshot says.

`tests/crawlers/test_golden.py` parses each document alone; this crawls it. Every recorded
document is served at its documents.toml URL's path (with its media type, else one by file
extension) on one local server, and every host is routed there, so a document's linked
documents and next pages that the corpus holds are found, and the ones it lacks answer 404
(`Reroute(..., every_host=...)` of test_all_formats).

What the store must hold follows from the snapshots alone (`Reach`): a document reads itself,
the recorded documents its snapshot `needs` (and theirs) and the recorded next pages it names;
each linked document or page it names is asked for, and one the corpus lacks answers 404.
- The stored credential ids are exactly those of the snapshots of the documents it reads.
- So are the stored job postings, and every skill those snapshots list is stored.
- A published pathway of those snapshots is found from each credential it names.
- The stored issuers are those the same snapshots name (listed, a credential's, accreditors),
  plus placeholders for organisations whose documents the corpus lacks (named by the URL or
  the CTID at its end, as the CTDL parser does when a fetch fails).
- Every warning of the document's snapshot is among the run's error samples; any other sample
  is about a linked document or page the corpus lacks.
- Crawled again, unchanged: the same records, none stale.
- A snapshot that is a parse error: a FAILED run naming that error, nothing stored.
A publisher's documents crawled as one source with several URLs, sharing the
run's linked documents and linker, store the union of what each document's crawl reads.
Taxonomy releases are imported, not crawled (tests/crawl/test_taxonomy_import.py).
"""

from __future__ import annotations

import json
import mimetypes
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest

from credgraph.config.sources import CrawlerSettings
from credgraph.formats import FORMATS
from credgraph.ingest import crawl_sources
from credgraph.model import CrawlRun, CrawlStatus, Source
from credgraph.model.crawl import CrawlError
from credgraph.model.views import Page
from credgraph.store import GraphStore
from tests.crawl.server import CatalogServer, Route, serving
from tests.crawl.test_all_formats import SETTINGS, Reroute
from tests.crawlers.corpus import Recorded, recorded

# about 30 s for the corpus: each crawl starts its own server and parse worker pool
pytestmark = pytest.mark.slow

DOCUMENTS = tuple(r for r in recorded() if r.format in FORMATS)
BY_URL = {r.url: r for r in DOCUMENTS}


def path_of(url: str) -> str:
    return httpx.URL(url).raw_path.decode()


def content_type(document: Recorded) -> str:
    if document.media_type:
        return document.media_type
    guessed, _ = mimetypes.guess_type(document.name)
    return guessed or "application/octet-stream"


def corpus_routes() -> dict[str, Route]:
    """Every recorded document at its URL's path (hosts differ, paths do not collide)."""
    routes = {
        path_of(d.url): Route(d.path.read_bytes(), content_type=content_type(d)) for d in DOCUMENTS
    }
    assert len(routes) == len(DOCUMENTS), "two recorded documents share a URL path"
    return routes


def golden(document: Recorded) -> dict[str, Any]:
    snapshot: dict[str, Any] = json.loads(document.expected.read_text(encoding="utf-8"))
    return snapshot


def ids(records: list[dict[str, Any]]) -> set[str]:
    return {str(r["id"]) for r in records}


def issuers_named(snapshot: dict[str, Any]) -> set[str]:
    """The issuers the store holds after storing the snapshot's records: those listed, each
    credential's issuer, and the accreditors either names, at any depth."""
    found: set[str] = set()
    pending = [
        *snapshot["issuers"],
        *(c["issuer"] for c in snapshot["credentials"] if c.get("issuer")),
    ]
    pending += [a for c in snapshot["credentials"] for a in c.get("accredited_by", [])]
    while pending:
        issuer = pending.pop()
        if issuer["id"] not in found:
            found.add(issuer["id"])
            pending += issuer.get("accredited_by", [])
    return found


async def every_id(
    page_of: Callable[[str | None], Awaitable[Page[Any]]], id_of: Callable[[Any], str]
) -> set[str]:
    """The ids of every item a store's listing pages through, 100 at a time."""
    found: set[str] = set()
    after = None
    while True:
        page = await page_of(after)
        found.update(id_of(item) for item in page.items)
        if not page.has_next_page:
            return found
        after = page.end_cursor


async def stored_credential_ids(store: GraphStore) -> set[str]:
    return await every_id(
        lambda after: store.list_credentials(first=100, after=after), lambda v: v.credential.id
    )


async def stored_issuer_ids(store: GraphStore) -> set[str]:
    return await every_id(lambda after: store.list_issuers(first=100, after=after), lambda i: i.id)


async def stored_posting_ids(store: GraphStore) -> set[str]:
    return await every_id(
        lambda after: store.list_job_postings(first=100, after=after), lambda v: v.posting.id
    )


async def crawl(
    document: Recorded, store: GraphStore, settings: CrawlerSettings = SETTINGS
) -> tuple[CrawlRun, set[str]]:
    """The crawl run of one document, and the paths the server was asked for."""
    return await crawl_source(
        Source(document.publisher, document.format, (document.url,)), store, settings
    )


async def crawl_source(
    source: Source, store: GraphStore, settings: CrawlerSettings = SETTINGS
) -> tuple[CrawlRun, set[str]]:
    server: CatalogServer
    with serving(corpus_routes()) as server:
        [run] = await crawl_sources(
            [source],
            store,
            settings,
            transport=Reroute({}, every_host=server.url("")),
        )
        asked = {hit.path for hit in server.log}
    return run, asked


async def stored_as_parsed(
    store: GraphStore, snapshot: dict[str, Any], may_fill: Callable[[str], bool]
) -> list[str]:
    """How the stored credentials and job postings differ from the snapshot's: name (title),
    URL, issuer (employer), and the ids of the skills and occupations they link to. Where the
    snapshot has no issuer, the stored one may be any that `may_fill`."""
    credentials = {c["id"]: c for c in snapshot["credentials"]}
    postings = {p["id"]: p for p in snapshot.get("postings", [])}
    stored = {
        v.credential.id: facts(
            v.credential.name,
            v.credential.url,
            v.issuer.id if v.issuer else None,
            [link.skill.id for link in v.skills],
            [link.occupation.id for link in v.occupations],
        )
        for v in await store.get_credentials(list(credentials))
    }
    stored |= {
        p.id: facts(
            p.title,
            p.url,
            p.employer.id if p.employer else None,
            [link.skill.id for link in p.skills],
            [link.occupation.id for link in p.occupations],
        )
        for p in (v.posting for v in await store.get_job_postings(list(postings)))
    }
    parsed = {
        rid: facts(
            r.get("name", r.get("title")),
            r.get("url"),
            (r.get("issuer") or r.get("employer") or {}).get("id"),
            [link["skill"]["id"] for link in r.get("skills", [])],
            [link["occupation"]["id"] for link in r.get("occupations", [])],
        )
        for rid, r in (credentials | postings).items()
    }
    differences = []
    for rid, expected in parsed.items():
        got = stored.get(rid, {})
        if expected["issuer"] is None and may_fill(str(got.get("issuer"))):
            expected["issuer"] = got["issuer"]
        differences += [
            f"{rid} {key}: stored {got.get(key)!r}, parsed {value!r}"
            for key, value in expected.items()
            if got.get(key) != value
        ]
    return differences


def facts(
    name: str | None,
    url: str | None,
    issuer: str | None,
    skills: list[str],
    occupations: list[str],
) -> dict[str, Any]:
    return {
        "name": name,
        "url": url,
        "issuer": issuer,
        "skills": sorted(skills),
        "occupations": sorted(occupations),
    }


def samples(run: CrawlRun) -> str:
    return "\n".join(f"{e.url}: {e.reason}" for e in run.error_samples)


@dataclass(frozen=True)
class Reach:
    """What a crawl of one document comes to, from the snapshots: the recorded documents it
    reads (itself first, then the linked documents it needs, the next pages it follows, and
    theirs), and the linked documents and pages it asks for that the corpus lacks (404s)."""

    read: tuple[dict[str, Any], ...]
    asked: frozenset[str]
    unrecorded: frozenset[str]

    @classmethod
    def of(cls, document: Recorded) -> Reach:
        read: dict[str, dict[str, Any]] = {}
        asked: set[str] = set()
        # a page's next pages are followed; a linked document's are not
        pending = [(document.url, True)]
        while pending:
            url, page = pending.pop()
            if url in read:
                continue
            read[url] = snapshot = golden(BY_URL[url])
            links = [*snapshot.get("needs", ()), *(snapshot.get("next_pages", ()) if page else ())]
            asked.update(links)
            pending += [(u, u in snapshot.get("next_pages", ())) for u in links if u in BY_URL]
        return cls(tuple(read.values()), frozenset(asked), frozenset(asked - set(BY_URL)))

    def placeholder(self, issuer_id: str) -> bool:
        """An organisation the crawl could not fetch: named in its credential by its URL,
        or by the CTID at its end."""
        return any(u == issuer_id or u.endswith(f"/{issuer_id}") for u in self.unrecorded)

    def may_fill(self, issuer_id: str) -> bool:
        """An issuer the crawl may give a record the document alone leaves without one: read
        from a linked document, or a placeholder for one the corpus lacks."""
        linked = set().union(*(issuers_named(s) for s in self.read[1:]))
        return issuer_id in linked or self.placeholder(issuer_id)

    def about_unrecorded(self, error: CrawlError) -> bool:
        return error.url in self.unrecorded or any(u in error.reason for u in self.unrecorded)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda r: f"{r.publisher}/{r.name}")
async def test_crawled_document_stores_what_its_snapshot_says(
    document: Recorded, store: GraphStore
) -> None:
    snapshot = golden(document)
    run, asked = await crawl(document, store)
    if "error" in snapshot:
        assert run.status is CrawlStatus.FAILED, samples(run)
        assert [e.reason for e in run.error_samples] == [snapshot["error"]]
        assert await stored_credential_ids(store) == set()
        return
    assert run.status is not CrawlStatus.FAILED, samples(run)

    reach = Reach.of(document)
    assert sorted(u for u in reach.asked if path_of(u) not in asked) == [], "never asked for"
    # its own records and those of the recorded documents it reads (what a linked document
    # yields is taken into the records of the document that needs it), no others
    credentials = await stored_credential_ids(store)
    assert credentials == set().union(*(ids(s["credentials"]) for s in reach.read))
    issuers = await stored_issuer_ids(store)
    read_issuers = set().union(*(issuers_named(s) for s in reach.read))
    assert read_issuers <= issuers
    assert [i for i in issuers - read_issuers if not reach.placeholder(i)] == []

    postings = await stored_posting_ids(store)
    assert postings == set().union(*(ids(s.get("postings", [])) for s in reach.read))
    framework = set().union(*(ids(s["skills"]) for s in reach.read))
    assert {skill.id for skill in await store.get_skills(sorted(framework))} == framework

    # a published pathway is found from each credential it names
    for pathway in (p for s in reach.read for p in s.get("pathways", [])):
        named = sorted({c["credential"] for c in pathway["components"] if c.get("credential")})
        found = await store.published_pathways(named)
        assert [c for c in named if pathway["name"] not in {p.name for p in found[c]}] == []

    # stored as parsed; an issuer its snapshot lacks may be read from a linked document
    assert await stored_as_parsed(store, snapshot, reach.may_fill) == [], samples(run)

    reasons = [e.reason for e in run.error_samples]
    assert [w for w in snapshot["warnings"] if w not in reasons] == [], samples(run)
    others = [
        e
        for e in run.error_samples
        if e.reason not in snapshot["warnings"] and not reach.about_unrecorded(e)
    ]
    assert others == [], samples(run)

    # crawled again, unchanged (answered 304): the store holds the same, and a record the
    # run does not count as seen would be stale after this one miss
    again, _ = await crawl(document, store, replace(SETTINGS, stale_after_misses=1))
    assert again.status is not CrawlStatus.FAILED, samples(again)
    assert again.not_modified >= 1 and again.created == 0, again
    assert await stored_credential_ids(store) == credentials
    assert await stored_issuer_ids(store) == issuers
    assert await stored_posting_ids(store) == postings
    assert (await store.stats()).stale_credentials == 0


def publishers() -> dict[str, list[Recorded]]:
    found: dict[str, list[Recorded]] = {}
    for document in DOCUMENTS:
        found.setdefault(document.publisher, []).append(document)
    return found


@pytest.mark.parametrize("publisher", sorted(publishers()))
async def test_a_publishers_documents_crawled_as_one_source_store_what_each_reads(
    publisher: str, store: GraphStore
) -> None:
    """One run over all of a publisher's documents (a source with several URLs), its pages
    sharing the run's linked documents and linker, stores what each document's crawl alone
    does."""
    documents = publishers()[publisher]
    source = Source(publisher, documents[0].format, tuple(d.url for d in documents))
    run, _ = await crawl_source(source, store)
    assert run.status is not CrawlStatus.FAILED, samples(run)

    parsed = [d for d in documents if "error" not in golden(d)]
    reaches = [Reach.of(d) for d in parsed]
    read = [s for reach in reaches for s in reach.read]
    assert await stored_credential_ids(store) == set().union(*(ids(s["credentials"]) for s in read))
    assert await stored_posting_ids(store) == set().union(
        *(ids(s.get("postings", [])) for s in read)
    )
    issuers = await stored_issuer_ids(store)
    read_issuers = set().union(*(issuers_named(s) for s in read))
    assert read_issuers <= issuers
    placeholders = issuers - read_issuers
    assert [i for i in placeholders if not any(r.placeholder(i) for r in reaches)] == []

    assert run.errors <= len(run.error_samples), "samples left out: raise MAX_ERROR_SAMPLES?"
    reasons = [e.reason for e in run.error_samples]
    warnings = [w for d in parsed for w in golden(d)["warnings"]]
    errors = [golden(d)["error"] for d in documents if d not in parsed]
    assert [w for w in [*warnings, *errors] if w not in reasons] == [], samples(run)
    # besides: a linked document the corpus lacks, or a record two documents define (sample
    # documents reuse ids), which the run names as a duplicate
    seen = Counter(c for reach in reaches for c in set().union(*map(credential_ids, reach.read)))
    duplicates = tuple(f"duplicate id {c} " for c, n in seen.items() if n > 1)
    others = [
        e
        for e in run.error_samples
        if e.reason not in [*warnings, *errors]
        and not any(r.about_unrecorded(e) for r in reaches)
        and not e.reason.startswith(duplicates)
    ]
    assert others == [], samples(run)


async def test_the_whole_corpus_crawled_at_once_stores_what_each_publisher_does(
    store: GraphStore,
) -> None:
    """Every publisher a source of one crawl, sharing its fetcher, linker and parse workers:
    the store holds the union of what the publishers' runs do alone."""
    sources = [
        Source(name, documents[0].format, tuple(d.url for d in documents))
        for name, documents in publishers().items()
    ]
    with serving(corpus_routes()) as server:
        runs = await crawl_sources(
            sources, store, SETTINGS, transport=Reroute({}, every_host=server.url(""))
        )
    assert [r.source_id for r in runs if r.status is CrawlStatus.FAILED] == []
    reads = [s for d in DOCUMENTS if "error" not in golden(d) for s in Reach.of(d).read]
    assert await stored_credential_ids(store) == set().union(*map(credential_ids, reads))
    assert await stored_posting_ids(store) == set().union(
        *(ids(s.get("postings", [])) for s in reads)
    )
    assert set().union(*(issuers_named(s) for s in reads)) <= await stored_issuer_ids(store)


def credential_ids(snapshot: dict[str, Any]) -> set[str]:
    return ids(snapshot["credentials"])
