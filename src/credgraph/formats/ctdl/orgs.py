"""CTDL organisations -> issuers: owners/offerers and quality-assurance bodies.

An organisation is read from the graph when it is there (also blank nodes such as QA bodies in
a `/graph/` document). An organisation given only by URI is listed in `needs`; once the crawl
has fetched it (`doc.linked[uri]`, a resource or a `/graph/` document) it is read from there.
When the fetch failed (`doc.linked[uri]` is None) the issuer is a placeholder whose id comes
from the CTID in the URI and whose name is that CTID, with a warning. Placeholders are embedded
in credentials only, never emitted as issuer records, so they cannot overwrite a real name.
"""

from __future__ import annotations

from typing import Any

from credgraph.formats.alternate_names import alternate_names
from credgraph.formats.ctdl.nodes import (
    Context,
    Nodes,
    as_list,
    ctid_in,
    ctid_of,
    is_bnode,
    label,
    prop,
    ref_of,
    text,
    texts,
    types,
    uri_text,
)
from credgraph.model.ids import issuer_id
from credgraph.model.records import Issuer

ORG_TYPES = frozenset({"CredentialOrganization", "QACredentialOrganization", "Organization"})
QA_PROPS = ("accreditedBy", "recognizedBy", "approvedBy", "regulatedBy")
_HTTP = ("http://", "https://")


def is_org(node: dict[str, Any]) -> bool:
    return any(t in ORG_TYPES for t in types(node))


def issuer_from_node(
    ctx: Context, node: dict[str, Any], nodes: Nodes, *, depth: int = 0
) -> Issuer | None:
    """An issuer from an organisation node; None when it has no name."""
    name = label(prop(node, "name"))
    if not name:
        return None
    ref = ref_of(node)
    uri = ref if ref and not is_bnode(ref) and ref.startswith(_HTTP) else None
    ctid = ctid_of(node) or (ctid_in(uri) if uri and "/resources/" in uri else None)
    accredited: tuple[Issuer, ...] = ()
    if depth == 0:
        found = []
        for qa_prop in QA_PROPS:
            for qa_ref in as_list(prop(node, qa_prop)):
                qa_node = nodes.resolve(qa_ref)
                qa = issuer_from_node(ctx, qa_node, nodes, depth=1) if qa_node else None
                if qa is not None:
                    found.append(qa)
        accredited = tuple({qa.id: qa for qa in found}.values())
    return Issuer(
        id=issuer_id(ctid=ctid, uri=uri, name=name),
        name=name,
        url=uri_text(prop(node, "subjectWebpage")),
        ctid=ctid,
        description=text(prop(node, "description")),
        country=_country(node, nodes),
        email=label(prop(node, "email")),
        accredited_by=accredited,
        alternate_names=alternate_names(texts(prop(node, "alternateName")), name),
        provenance=ctx.provenance,
    )


def _country(node: dict[str, Any], nodes: Nodes) -> str | None:
    for address in as_list(prop(node, "address")):
        place = nodes.resolve(address)
        country = label(prop(place, "addressCountry")) if place else None
        if country:
            return country.upper() if len(country) == 2 else country
    return None


def placeholder(ctx: Context, uri: str) -> Issuer:
    ctid = ctid_in(uri)
    return Issuer(
        id=issuer_id(ctid=ctid, uri=uri, name=None),
        name=ctid or uri,
        ctid=ctid,
        provenance=ctx.provenance,
    )


def _pick(nodes: Nodes, uri: str) -> dict[str, Any] | None:
    """The organisation a fetched document describes: the node with that @id, else the one
    with the CTID in the URI, else its first organisation."""
    node = nodes.resolve(uri)
    if node is not None and is_org(node):
        return node
    ctid = ctid_in(uri)
    orgs = [n for n in nodes if is_org(n)]
    for candidate in orgs:
        if ctid and ctid_of(candidate) == ctid:
            return candidate
    return orgs[0] if orgs else node


def resolve_org(ctx: Context, ref: Any, *, need: bool = True) -> tuple[Issuer, bool] | None:
    """The issuer a reference names and whether it is a placeholder; None when it cannot be
    read yet (a URI not fetched yet is listed in `needs` when `need`)."""
    node = ctx.nodes.resolve(ref)
    if node is not None:
        issuer = issuer_from_node(ctx, node, ctx.nodes)
        if issuer is None:
            ctx.warn(f"{ctx.doc.url}: organisation {ref_of(node) or '(embedded)'} has no name")
            return None
        ctx.issuers.setdefault(issuer.id, issuer)
        return issuer, False
    uri = ref_of(ref)
    if uri is None:
        return None
    if is_bnode(uri):
        ctx.missing(uri)
        return None
    if not uri.startswith(_HTTP):
        ctx.warn(f"{ctx.doc.url}: organisation reference {uri!r} is not a URL")
        return None
    found, data = ctx.linked(uri)
    if not found:
        if need:
            ctx.need(uri)
        return None
    if isinstance(data, (dict, list)):
        linked_nodes = Nodes()
        linked_nodes.add_document(data)
        org = _pick(linked_nodes, uri)
        issuer = issuer_from_node(ctx, org, linked_nodes) if org else None
        if issuer is not None:
            ctx.issuers.setdefault(issuer.id, issuer)
            return issuer, False
        ctx.warn(
            f"{uri}: the fetched document holds no named organisation; issuer named by its CTID"
        )
    else:
        ctx.warn(
            f"{ctx.doc.url}: organisation {uri} could not be fetched; issuer named by its CTID"
        )
    return placeholder(ctx, uri), True


def owner(ctx: Context, node: dict[str, Any]) -> Issuer | None:
    """The issuer of a credential: its owner (`ownedBy`), else its offerer (`offeredBy`)."""
    refs = [*as_list(prop(node, "ownedBy")), *as_list(prop(node, "offeredBy"))]
    fallback: Issuer | None = None
    unfetched: list[str] = []
    for ref in refs:
        got = resolve_org(ctx, ref, need=False)
        if got is not None and not got[1]:
            return got[0]
        if got is not None and fallback is None:
            fallback = got[0]
        uri = ref_of(ref)
        if got is None and uri and uri.startswith(_HTTP) and not ctx.linked(uri)[0]:
            unfetched.append(uri)
    if unfetched:
        ctx.need(unfetched[0])
    return fallback


def accreditors(ctx: Context, node: dict[str, Any]) -> tuple[Issuer, ...]:
    """QA bodies: accreditedBy, recognizedBy, approvedBy and regulatedBy, in that order."""
    found: dict[str, Issuer] = {}
    for qa_prop in QA_PROPS:
        for ref in as_list(prop(node, qa_prop)):
            got = resolve_org(ctx, ref)
            if got is not None:
                found.setdefault(got[0].id, got[0])
    return tuple(found.values())


def organisation_issuers(ctx: Context) -> None:
    """Every named organisation in the graph becomes an issuer record."""
    for node in ctx.nodes:
        if is_org(node):
            issuer = issuer_from_node(ctx, node, ctx.nodes)
            if issuer is None:
                ctx.warn(f"{ctx.doc.url}: organisation {ref_of(node)} has no name; skipped")
            else:
                ctx.issuers.setdefault(issuer.id, issuer)
