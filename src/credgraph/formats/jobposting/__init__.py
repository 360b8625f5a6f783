"""schema.org JobPosting, as employers and job boards publish it for search engines: JSON-LD
blocks in HTML pages (found through sitemaps or robots.txt `Sitemap:` lines, as for
`schemaorg`), and JSON feeds of JobPosting objects (a bare array, or one under `data`,
`items` or `jobs`).

What a document yields:

* every JobPosting node with a title, wherever it sits in a page's JSON-LD, is one posting
  (`jobposting.read.read_posting` reads its fields); a feed's objects are postings whether
  or not they carry `@type` (feeds often leave it out), unless their type is something else.
* the employer (`hiringOrganization`) also goes to `ParseResult.issuers`, as an organisation.
  Skills and occupations are embedded in the postings only: a job board is not the authority
  for a taxonomy node.
* a sitemap or robots.txt yields next pages; a sitemap's pages beyond
  `MAX_PAGES_PER_SITEMAP` are left out with a warning (the crawl's `max_pages` caps a run).

`read_posting(data, base_url)` is the entry point for one object (an API argument, a pasted
posting); `parse(document)` the one for a crawled document.
"""

from __future__ import annotations

from typing import Any

from credgraph.formats.base import Document, ParseError, ParseResult
from credgraph.formats.jobposting.read import PostingRead, is_posting, read_posting
from credgraph.formats.schemaorg import _is_robots
from credgraph.formats.schemaorg.jsonld import Graph, page_graph, types
from credgraph.formats.sitemaps import is_sitemap, parse_sitemap, sitemaps_from_robots
from credgraph.model.jobs import JobPosting
from credgraph.model.records import Issuer

FEED_KEYS = ("data", "items", "jobs")
MAX_PAGES_PER_SITEMAP = 50_000  # the sitemaps.org limit per file
MAX_POSTINGS_PER_DOCUMENT = 10_000


def parse(doc: Document) -> ParseResult:
    """Postings from an HTML page, a JSON-LD document or a JSON feed; next pages from a
    sitemap or robots.txt."""
    text = doc.text.lstrip("\ufeff")
    head = text.lstrip()
    if not head:
        raise ParseError(doc.url, "empty document")
    if head[0] == "<":
        return _sitemap(doc, text) if is_sitemap(head) else _html(doc, text)
    if head[0] in "{[":
        return _json(doc, doc.json())
    if _is_robots(doc, head):
        result = ParseResult(next_pages=sitemaps_from_robots(text, doc.url))
        if not result.next_pages:
            result.warnings.append("robots.txt names no sitemap")
        return result
    raise ParseError(doc.url, "neither HTML, JSON, a sitemap nor a robots.txt")


def _sitemap(doc: Document, text: str) -> ParseResult:
    found = parse_sitemap(text, doc.url)
    pages = [loc for loc, _ in found.pages]
    result = ParseResult(warnings=list(found.warnings))
    if len(pages) > MAX_PAGES_PER_SITEMAP:
        result.warnings.append(
            f"sitemap lists {len(pages)} pages; the first {MAX_PAGES_PER_SITEMAP} are crawled"
        )
        pages = pages[:MAX_PAGES_PER_SITEMAP]
    result.next_pages = [*found.sitemaps, *pages]
    return result


def _html(doc: Document, text: str) -> ParseResult:
    graph, warnings = page_graph(doc.url, text)
    result = ParseResult(warnings=warnings)
    if graph is None:
        return result
    result.warnings.extend(graph.warnings)
    nodes = [graph.deref(n) for n in graph.nodes if is_posting(n)]
    return _collect(doc, graph, nodes, result)


def _json(doc: Document, data: Any) -> ParseResult:
    items: Any = data
    if isinstance(data, dict):
        key = next((k for k in FEED_KEYS if isinstance(data.get(k), list)), None)
        items = data[key] if key else data
    graph = Graph(doc.url)
    if isinstance(items, list):
        # A feed: every object is a posting unless it says it is something else.
        for i, item in enumerate(items):
            if isinstance(item, dict) and not types(item):
                items[i] = {**item, "@type": "JobPosting"}
    elif not isinstance(items, dict):
        raise ParseError(
            doc.url,
            "JSON must be a JobPosting, an array of them, or an object "
            f"with one under {', '.join(FEED_KEYS)}",
        )
    result = ParseResult()
    graph.add(items, "document")
    result.warnings.extend(graph.warnings)
    nodes = [graph.deref(n) for n in graph.nodes if is_posting(n)]
    return _collect(doc, graph, nodes, result)


def _collect(
    doc: Document, graph: Graph, nodes: list[dict[str, Any]], result: ParseResult
) -> ParseResult:
    provenance = doc.provenance()
    seen: dict[str, JobPosting] = {}
    issuers: dict[str, Issuer] = {}
    if len(nodes) > MAX_POSTINGS_PER_DOCUMENT:
        result.warnings.append(
            f"{len(nodes)} postings in one document; the first {MAX_POSTINGS_PER_DOCUMENT} read"
        )
        nodes = nodes[:MAX_POSTINGS_PER_DOCUMENT]
    for node in nodes:
        read = read_posting(node, graph.base, provenance, graph=graph)
        result.warnings.extend(read.warnings)
        posting = read.posting
        if posting is None:
            continue
        if posting.id in seen:
            if seen[posting.id] != posting:
                result.warnings.append(f"JobPosting {posting.id} skipped: id already used")
            continue
        seen[posting.id] = posting
        if posting.employer is not None:
            issuers.setdefault(posting.employer.id, posting.employer)
    result.postings.extend(seen.values())
    result.issuers.extend(issuers.values())
    if not seen:
        result.warnings.append("no JobPosting with a title found")
    return result


def read_one_posting(data: dict[str, Any], base_url: str) -> PostingRead:
    """The job posting one JSON(-LD) object holds, as a person pastes one: the object itself,
    or the first JobPosting in it (under `@graph`, a page's `mainEntity`, ...), with a warning
    when it holds several. An object typed as something else and holding no JobPosting reads
    as no posting, saying what it is; an object with no `@type` is read as a posting, as a
    feed's objects are."""
    graph = Graph(base_url)
    graph.add(data, "posting")
    nodes = [graph.deref(n) for n in graph.nodes if is_posting(n)]
    if not nodes:
        named = types(data)
        if named or "@graph" in data:
            what = f"its @type is {', '.join(named)}" if named else "its @graph has none"
            return PostingRead(None, [*graph.warnings, f"the object holds no JobPosting ({what})"])
        return read_posting(data, base_url)
    read = read_posting(nodes[0], base_url, graph=graph)
    warnings = [*graph.warnings, *read.warnings]
    if len(nodes) > 1 and read.posting is not None:
        first = f"{read.posting.title!r:.80}"
        warnings.append(
            f"the object holds {len(nodes)} job postings; the first ({first}) was matched"
        )
    return PostingRead(read.posting, warnings)


__all__ = ["FEED_KEYS", "PostingRead", "parse", "read_one_posting", "read_posting"]
