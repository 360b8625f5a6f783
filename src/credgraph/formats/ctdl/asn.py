"""CTDL-ASN competency frameworks -> skills.

Each `ceasn:Competency` becomes a `Skill`:

* id: its @id URI (`skill_id`), else framework:code, else its label;
* framework: the name of the `ceasn:CompetencyFramework` it `isPartOf` (or the graph's only
  framework);
* name: `competencyLabel` when present (O*NET publishes "Speaking" there and the definition in
  `competencyText`), else `competencyText` shortened like a CASE statement; the full text is
  the description whenever it is not the name. The non-standard `ceasn:CompetencyLabel` (capital
  C, BCSP uses it for a category such as "Knowledge") is not a name and is ignored;
* code: `codedNotation`; alt labels: `conceptKeyword`, `altCodedNotation`;
* broader: `isChildOf` parents that are competencies (a framework parent gives none), plus
  the inverse of a parent's `hasChild`;
* same_as: `exactAlignment` URIs, and for O*NET's own frameworks (@id under onetcenter.org)
  the O*NET element id (`onet:2.A.1.d`) so they meet the O*NET taxonomy's skills.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from credgraph.formats.case import statement_name
from credgraph.formats.ctdl.nodes import (
    Context,
    as_list,
    is_bnode,
    label,
    prop,
    ref_of,
    text,
    texts,
    types,
    uri_key,
)
from credgraph.model.ids import normalise_text, skill_id
from credgraph.model.records import Skill

_ONET_ELEMENT = re.compile(r"^\d+(?:\.[A-Za-z0-9]+)+$")
_URI = ("http://", "https://", "urn:")


def is_competency(node: dict[str, Any]) -> bool:
    return "Competency" in types(node)


def framework_names(ctx: Context) -> dict[str, str]:
    names: dict[str, str] = {}
    for node in ctx.nodes:
        ref = ref_of(node)
        name = label(prop(node, "name"))
        if ref and name and "CompetencyFramework" in types(node):
            names[ref if is_bnode(ref) else uri_key(ref)] = name
    return names


def _framework_of(node: dict[str, Any], frameworks: dict[str, str]) -> str | None:
    for ref in [*as_list(prop(node, "isPartOf")), *as_list(prop(node, "isTopChildOf"))]:
        key = ref_of(ref)
        if key and (key if is_bnode(key) else uri_key(key)) in frameworks:
            return frameworks[key if is_bnode(key) else uri_key(key)]
    return next(iter(frameworks.values())) if len(frameworks) == 1 else None


def competency_skill(
    ctx: Context,
    node: dict[str, Any],
    frameworks: dict[str, str],
    broader: tuple[str, ...] = (),
) -> Skill | None:
    ref = ref_of(node)
    uri = ref if ref and ref.startswith(_URI) else None
    statement = text(prop(node, "competencyText"))
    name = label(prop(node, "competencyLabel")) or statement_name(statement)
    if not name:
        return None
    framework = _framework_of(node, frameworks)
    code = label(prop(node, "codedNotation"))
    alt = [normalise_text(t) for t in texts(prop(node, "conceptKeyword"))]
    alt += [normalise_text(t) for t in texts(prop(node, "altCodedNotation"))]
    same_as = [
        uri_key(r)
        for v in as_list(prop(node, "exactAlignment"))
        if (r := ref_of(v)) and r.startswith(_URI)
    ]
    if uri and code and _ONET_ELEMENT.match(code) and _host(uri).endswith("onetcenter.org"):
        same_as.append(skill_id(uri=None, framework="O*NET", code=code, label=None))
    return Skill(
        id=skill_id(uri=uri, framework=framework, code=code, label=name),
        name=name,
        framework=framework,
        uri=uri,
        code=code,
        description=statement if statement and normalise_text(statement) != name else None,
        alt_labels=tuple(dict.fromkeys(a for a in alt if a and a != name)),
        broader=broader,
        same_as=tuple(dict.fromkeys(s for s in same_as if s != uri_key(uri or ""))),
        provenance=ctx.provenance,
    )


def _host(uri: str) -> str:
    return (urlsplit(uri).hostname or "").lower()


def framework_skills(ctx: Context) -> list[Skill]:
    """Skills for every competency in the graph, with their BROADER links."""
    frameworks = framework_names(ctx)
    competencies = [n for n in ctx.nodes if is_competency(n)]
    ids: dict[str, str] = {}
    for node in competencies:
        skill = competency_skill(ctx, node, frameworks)
        ref = ref_of(node)
        if skill is not None and ref:
            ids[ref if is_bnode(ref) else uri_key(ref)] = skill.id
    parents: dict[str, list[str]] = {}

    def link(child_ref: Any, parent_ref: Any) -> None:
        child, parent = ref_of(child_ref), ref_of(parent_ref)
        if not child or not parent:
            return
        child_key = child if is_bnode(child) else uri_key(child)
        parent_key = parent if is_bnode(parent) else uri_key(parent)
        if parent_key in frameworks or parent_key == child_key:
            return
        parent_id = ids.get(parent_key) or (
            skill_id(uri=parent, framework=None, code=None, label=None)
            if parent.startswith(_URI)
            else None
        )
        if parent_id and parent_id not in parents.setdefault(child_key, []):
            parents[child_key].append(parent_id)

    for node in competencies:
        for parent in as_list(prop(node, "isChildOf")):
            link(node, parent)
        for child in as_list(prop(node, "hasChild")):
            link(child, node)
    skills = []
    for node in competencies:
        ref = ref_of(node) or ""
        key = ref if is_bnode(ref) else uri_key(ref) if ref else ""
        skill = competency_skill(ctx, node, frameworks, tuple(parents.get(key, ())))
        if skill is None:
            ctx.warn(f"{ctx.doc.url}: competency {ref or '(no @id)'} has no text; skipped")
        else:
            skills.append(skill)
    return skills
