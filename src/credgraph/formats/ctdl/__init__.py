"""Credential Engine CTDL and CTDL-ASN: Credential Registry documents -> credentials, issuers,
occupations and competency-framework skills.

Shapes read:

* a resource (`/resources/ce-...`, or a self-published CTDL document): one node;
* a `/graph/` document (`{"@graph": [...]}`): the subject with its blank nodes (`_:...`,
  e.g. QA organisations, target occupations) and contained nodes (a framework's
  competencies, a program's courses), resolved within that graph;
* an envelope (`{envelope_id, decoded_resource, ...}`) or a listing of envelopes: a JSON array,
  or an object holding the array (`data`, `envelopes`, `results`...). Each envelope's
  `decoded_resource` is read as above, with its own blank nodes. Deleted envelopes
  (`deleted_at`) and envelopes carrying only the signed JWT are skipped with a warning.
  `next` URLs in the body (`next`, `next_page`, `links.next`...) go to `next_pages`; paging by
  `Link` header is the crawl's.

References the document cannot resolve: an organisation given only by URI goes to `needs`
(see `ctdl.orgs`); blank nodes of a `/resources/` document are only in its graph, so the
`/graph/ce-...` address goes to `needs` and, once fetched into `doc.linked`, its nodes are
used; the same holds for a competency framework resource, whose competencies are only in its
graph. A failed fetch (`doc.linked[url] is None`) gives a warning, never an error.

Field-by-field choices are documented in `ctdl.credential`, `ctdl.align`, `ctdl.orgs` and
`ctdl.asn`. Records that cannot be read (no name, no identity) are skipped with a warning;
a whole document that is not CTDL raises `ParseError` naming its URL.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from credgraph.formats.base import Document, ParseError, ParseResult, json_parser
from credgraph.formats.ctdl.asn import framework_skills
from credgraph.formats.ctdl.compact import expanded
from credgraph.formats.ctdl.credential import credential_from_node, is_credential
from credgraph.formats.ctdl.nodes import (
    Context,
    Nodes,
    ctid_of,
    graph_nodes,
    graph_url,
    is_bnode,
    ref_of,
    types,
)
from credgraph.formats.ctdl.orgs import organisation_issuers
from credgraph.formats.ctdl.pathway import is_pathway, pathway_from_node
from credgraph.formats.ctdl.stacking import warn_cycles
from credgraph.model.pathway import validate_pathway
from credgraph.model.validation import validate_credential, validate_issuer, validate_skill

_RECORD_ERRORS = (ValueError, TypeError, AttributeError, KeyError)
_LIST_KEYS = ("data", "envelopes", "results", "items", "hits", "resources")
_NEXT_KEYS = ("next", "next_page", "next_page_url", "nextPage", "next_url")
_NEXT_HOLDERS = ("links", "_links", "meta", "metadata", "paging", "pagination")
_CTDL_PREFIXES = ("ceterms:", "ceasn:", "asn:", "http://purl.org/ctdl")


@json_parser
def parse(doc: Document, data: Any) -> ParseResult:
    result = ParseResult()
    data = expanded(data)  # a prefix the document declares for its own resources
    if isinstance(data, list):
        _listing(doc, data, result)
    elif isinstance(data, dict):
        if _is_envelope(data):
            _envelope(doc, data, result)
        elif isinstance(data.get("@graph"), list) or _is_node(data):
            _graph(doc, data, result)
        elif "errors" in data and not _listed(data):
            raise ParseError(doc.url, f"the registry answered with errors: {data['errors']!r:.200}")
        else:
            entries = _listed(data)
            if entries is None:
                raise ParseError(
                    doc.url, "not a CTDL resource, /graph/ document or envelope listing"
                )
            _listing(doc, entries, result)
        result.next_pages.extend(u for u in _next_pages(doc, data) if u not in result.next_pages)
    else:
        kind = "string" if isinstance(data, str) else "number" if data is not None else "null"
        raise ParseError(doc.url, f"expected a CTDL JSON object or array, got a JSON {kind}")
    return result


def _is_envelope(data: dict[str, Any]) -> bool:
    return "decoded_resource" in data or "envelope_id" in data


def _is_node(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    kinds = data.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if any(isinstance(k, str) and k.startswith(_CTDL_PREFIXES) for k in kinds):
        return True
    return "@id" in data and any(str(k).startswith(_CTDL_PREFIXES) for k in data)


def _listed(data: dict[str, Any]) -> list[Any] | None:
    """The list of envelopes or resources an object holds, if it holds one."""
    for key, value in data.items():
        if not isinstance(value, list):
            continue
        if not value and key in _LIST_KEYS:
            return value
        if any(
            isinstance(v, dict) and (_is_envelope(v) or _is_node(v) or "@graph" in v) for v in value
        ):
            return value
    return None


def _listing(doc: Document, entries: list[Any], result: ParseResult) -> None:
    if not entries:
        result.warnings.append(f"{doc.url}: the listing is empty")
        return
    shared = Nodes()  # resources named by URI anywhere in the listing
    for entry in entries:
        if isinstance(entry, dict) and not entry.get("deleted_at"):
            for node in graph_nodes(entry):
                if not is_bnode(ref_of(node)):
                    shared.add(node)
    recognised = 0
    for index, entry in enumerate(entries):
        if isinstance(entry, dict) and _is_envelope(entry):
            recognised += 1
            _envelope(doc, entry, result, shared)
        elif isinstance(entry, dict) and (isinstance(entry.get("@graph"), list) or _is_node(entry)):
            recognised += 1
            _graph(doc, entry, result, shared)
        else:
            result.warnings.append(f"{doc.url}: entry {index} is neither an envelope nor CTDL")
    if not recognised:
        raise ParseError(doc.url, "a JSON array holding neither envelopes nor CTDL resources")


def _envelope(
    doc: Document, envelope: dict[str, Any], result: ParseResult, shared: Nodes | None = None
) -> None:
    name = envelope.get("envelope_ceterms_ctid") or envelope.get("envelope_id") or "(no id)"
    if envelope.get("deleted_at"):
        result.warnings.append(f"{doc.url}: envelope {name} was deleted; skipped")
        return
    resource = envelope.get("decoded_resource")
    if not isinstance(resource, dict):
        result.warnings.append(f"{doc.url}: envelope {name} has no decoded_resource; skipped")
        return
    _graph(doc, resource, result, shared)


def _graph(
    doc: Document, data: dict[str, Any], result: ParseResult, shared: Nodes | None = None
) -> None:
    nodes = Nodes(shared)
    nodes.add_document(data)
    ctx = Context(doc, nodes, result, doc.provenance())
    subject = ref_of(data) if "@graph" not in data else None
    own_graph = graph_url(subject)
    found, linked_graph = ctx.linked(own_graph) if own_graph else (False, None)
    if found and isinstance(linked_graph, (dict, list)):
        nodes.add_document(linked_graph)
    before = len(result.credentials)
    for node in list(nodes):
        ref = ref_of(node)
        if not is_credential(node) or (is_bnode(ref) and not ctid_of(node)):
            continue
        try:
            credential = credential_from_node(ctx, node)
        except _RECORD_ERRORS as exc:
            ctx.warn(f"{doc.url}: skipped credential {ref}: {exc}")
            continue
        if credential is not None and _acceptable(
            ctx, "credential", credential.id, validate_credential(credential)
        ):
            result.credentials.append(credential)
    warn_cycles(ctx, result.credentials[before:])
    for node in list(nodes):
        if not is_pathway(node) or (is_bnode(ref_of(node)) and not ctid_of(node)):
            continue
        try:
            pathway = pathway_from_node(ctx, node)
        except _RECORD_ERRORS as exc:
            ctx.warn(f"{doc.url}: skipped pathway {ref_of(node)}: {exc}")
            continue
        if pathway is not None and _acceptable(
            ctx, "pathway", pathway.id, validate_pathway(pathway)
        ):
            result.pathways.append(pathway)
    try:
        organisation_issuers(ctx)
        skills = framework_skills(ctx)
    except _RECORD_ERRORS as exc:
        ctx.warn(f"{doc.url}: organisations or competencies not read: {exc}")
        skills = []
    result.skills.extend(
        s for s in skills if _acceptable(ctx, "competency", s.id, validate_skill(s))
    )
    known = {issuer.id for issuer in result.issuers}
    result.issuers.extend(
        i
        for i in ctx.issuers.values()
        if i.id not in known and _acceptable(ctx, "organisation", i.id, validate_issuer(i))
    )
    _report_missing(ctx, own_graph, found, linked_graph)
    if (
        own_graph
        and not found
        and not skills
        and any("CompetencyFramework" in types(n) for n in nodes)
    ):
        ctx.need(own_graph)  # a framework's competencies are only in its graph
    elif (
        len(result.credentials) == before and not skills and not ctx.issuers and not result.pathways
    ):
        ctx.warn(
            f"{doc.url}: no credential, organisation or competency in "
            f"{ref_of(data) or 'the document'}"
        )


def _acceptable(ctx: Context, kind: str, record_id: str, problems: list[str]) -> bool:
    """Records a store would reject are left out here, with the first reason as a warning."""
    if problems:
        ctx.warn(f"{ctx.doc.url}: skipped {kind} {record_id[:200]}: {problems[0]}")
    return not problems


def _report_missing(ctx: Context, own_graph: str | None, found: bool, linked: Any) -> None:
    missing = ctx.missing_bnodes
    if not missing:
        return
    if own_graph and not found:
        ctx.need(own_graph)
        return
    where = (
        f"{own_graph} could not be fetched"
        if own_graph and found and linked is None
        else ("they are not in the document")
    )
    ctx.warn(f"{ctx.doc.url}: {len(missing)} blank node(s) unresolved ({missing[0]}...): {where}")


def _next_pages(doc: Document, data: dict[str, Any]) -> list[str]:
    holders = [data, *(data[k] for k in _NEXT_HOLDERS if isinstance(data.get(k), dict))]
    pages: list[str] = []
    for holder in holders:
        for key in _NEXT_KEYS:
            value = holder.get(key)
            if isinstance(value, dict):
                value = value.get("href")
            if not isinstance(value, str) or not value.strip():
                continue
            url = urljoin(doc.url, value.strip())
            if url.startswith(("http://", "https://")) and url != doc.url and url not in pages:
                pages.append(url)
    return pages
