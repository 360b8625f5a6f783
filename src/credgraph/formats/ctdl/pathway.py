"""CTDL `ceterms:Pathway` -> `PublishedPathway`.

Components are gathered from the pathway's `hasDestinationComponent` and `hasChild`, then
from each component's `hasChild`, `precedes` and its ComponentConditions' `targetComponent`,
plus any component naming the pathway in `isPartOf`. A component stands for a credential
when it is a CredentialComponent with `proxyFor`, or is itself a credential node (some
publishers chain the credentials directly). Order: a child leads to its parent, a condition's
target to the component holding the condition, `precedes` to what it precedes.

A CredentialComponent whose `proxyFor` is missing or not a credential reference is kept with
its name and no credential, with a warning naming the pathway and the document.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from credgraph.formats.ctdl.credential import is_credential
from credgraph.formats.ctdl.nodes import (
    Context,
    as_list,
    ctid_of,
    is_bnode,
    label,
    local_name,
    prop,
    ref_of,
    text,
    types,
    uri_key,
    uri_text,
)
from credgraph.formats.ctdl.stacking import credential_ref
from credgraph.model.ids import credential_id
from credgraph.model.pathway import MAX_COMPONENTS, PathwayComponent, PublishedPathway

_CHILDREN = ("hasChild", "hasDestinationComponent")


def is_pathway(node: dict[str, Any]) -> bool:
    return "Pathway" in types(node)


def _is_component(node: dict[str, Any]) -> bool:
    return any(t.endswith("Component") for t in types(node))


def _key(node: dict[str, Any]) -> str | None:
    ref = ref_of(node)
    if ref is None:
        return None
    return ref if is_bnode(ref) else uri_key(ref)


def pathway_from_node(ctx: Context, node: dict[str, Any]) -> PublishedPathway | None:
    ref = ref_of(node)
    uri = ref if ref and ref.startswith(("http://", "https://")) else None
    ctid = ctid_of(node)
    name = label(prop(node, "name"))
    if not name or not (ctid or uri):
        ctx.warn(f"{ctx.doc.url}: skipped a pathway {ref or ''} with no name or no identity")
        return None
    pid = credential_id(ctid=ctid, uri=uri)
    members = _members(ctx, node, pid)
    leads: dict[str, list[str]] = defaultdict(list)
    for key, member in members.items():
        for child in _refs(ctx, member, _CHILDREN):
            leads[child].append(key)
        for parent in _refs(ctx, member, ("isChildOf",)):
            leads[key].append(parent)
        for later in _refs(ctx, member, ("precedes",)):
            leads[key].append(later)
        for condition in as_list(prop(member, "hasCondition")):
            held = ctx.nodes.resolve(condition)
            for target in _refs(ctx, held, ("targetComponent",)) if held else ():
                leads[target].append(key)
    destinations = set(_refs(ctx, node, ("hasDestinationComponent",)))
    components = []
    for key, member in members.items():
        components.append(
            PathwayComponent(
                id=key,
                name=label(prop(member, "name")) or label(prop(member, "codedNotation")) or key,
                kind=next(iter(types(member)), "Component"),
                credential=_stands_for(ctx, member, name),
                leads_to=tuple(k for k in dict.fromkeys(leads.get(key, ())) if k in members),
                destination=key in destinations,
            )
        )
    return PublishedPathway(
        id=pid,
        name=name,
        url=uri_text(prop(node, "subjectWebpage")),
        ctid=ctid,
        description=text(prop(node, "description")),
        components=tuple(components),
        provenance=ctx.provenance,
    )


def _refs(ctx: Context, node: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    out = []
    for name in names:
        for value in as_list(prop(node, name)):
            found = ctx.nodes.resolve(value)
            key = _key(found) if found is not None else None
            if key is None and isinstance(value, str) and value.startswith(("http", "_:")):
                key = value if is_bnode(value) else uri_key(value)
            if key:
                out.append(key)
    return out


def _members(ctx: Context, pathway: dict[str, Any], pid: str) -> dict[str, dict[str, Any]]:
    """The pathway's components by key, reached from it (bounded, each once)."""
    members: dict[str, dict[str, Any]] = {}
    frontier = _refs(ctx, pathway, _CHILDREN)
    for node in ctx.nodes:
        if _is_component(node) and pid in {
            credential_ref(ctx, v) for v in as_list(prop(node, "isPartOf"))
        }:
            key = _key(node)
            if key:
                frontier.append(key)
    while frontier and len(members) < MAX_COMPONENTS:
        key = frontier.pop()
        if key in members:
            continue
        member = ctx.nodes.resolve(key)
        if member is None or not (_is_component(member) or is_credential(member)):
            continue
        members[key] = member
        frontier += _refs(ctx, member, ("hasChild", "precedes", "isChildOf"))
        for condition in as_list(prop(member, "hasCondition")):
            held = ctx.nodes.resolve(condition)
            if held is not None:
                frontier += _refs(ctx, held, ("targetComponent",))
    return members


def _stands_for(ctx: Context, node: dict[str, Any], pathway: str) -> str | None:
    if is_credential(node):
        return credential_ref(ctx, node)
    if "CredentialComponent" not in types(node):
        return None
    for value in as_list(prop(node, "proxyFor")):
        found = credential_ref(ctx, value)
        if found:
            return found
    ctx.warn(
        f"{ctx.doc.url}: pathway {pathway!r}: credential component "
        f"{label(prop(node, 'name')) or local_name(ref_of(node) or '?')!r} names no "
        "credential (proxyFor); kept as a name"
    )
    return None
