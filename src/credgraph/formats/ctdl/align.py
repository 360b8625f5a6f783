"""CTDL alignments: occupations (occupationType, isPreparationFor -> targetOccupation), skills
(teaches, assesses, requires -> targetCompetency) and coded keywords (NAICS, CIP).

Occupations: a SOC-shaped code (`codedNotation`, or the code at the end of an O*NET OnLine
`targetNode` URL) makes an O*NET-SOC occupation `onet:15-1252.00` (framework "O*NET-SOC");
otherwise the occupation keys on its URI, framework:code, or label.

Skill relations: `teaches` -> TEACHES; `assesses` and `requires` -> targetCompetency ->
ASSESSES (what a learner must demonstrate to earn the credential is what it attests).
Competencies under `recommends`, `entryCondition` or `corequisite` are prerequisites, not
outcomes, and are not linked.
"""

from __future__ import annotations

from typing import Any

from credgraph.formats.case import statement_name
from credgraph.formats.ctdl.asn import competency_skill, framework_names, is_competency
from credgraph.formats.ctdl.nodes import (
    Context,
    as_list,
    concept_labels,
    is_bnode,
    label,
    prop,
    ref_of,
    text,
    texts,
    types,
    uri_text,
)
from credgraph.model.ids import (
    is_soc_code,
    normalise_text,
    occupation_id,
    onet_page_code,
    skill_id,
)
from credgraph.model.records import Occupation, OccupationLink, Skill, SkillLink
from credgraph.model.values import SkillRelation

_OCCUPATION_TYPES = frozenset({"Occupation", "Job", "WorkRole"})
_CODED = (("naics", "NAICS"), ("cipcode", "CIP"), ("instructional program", "CIP"))


def _occupation(
    ctx: Context,
    name: str | None,
    code: str | None,
    uri: str | None,
    framework: str | None,
    description: str | None,
    alt: tuple[str, ...] = (),
) -> Occupation | None:
    if not code:
        code = onet_page_code(uri)
    if code and is_soc_code(code):
        code = code.strip() if "." in code else code.strip() + ".00"
        oid = occupation_id(uri=None, framework=None, code=code, label=name)
        framework = "O*NET-SOC"
    elif name or code or uri:
        oid = occupation_id(uri=uri, framework=framework, code=code, label=name)
    else:
        return None
    name = name or code
    if not name:
        return None
    return Occupation(
        oid,
        name,
        code,
        framework,
        uri,
        description,
        tuple(a for a in alt if a != name),
        ctx.provenance,
    )


def occupation_from_alignment(ctx: Context, cao: dict[str, Any]) -> Occupation | None:
    return _occupation(
        ctx,
        label(prop(cao, "targetNodeName")),
        label(prop(cao, "codedNotation")),
        uri_text(prop(cao, "targetNode")),
        label(prop(cao, "frameworkName")) or uri_text(prop(cao, "framework")),
        text(prop(cao, "targetNodeDescription")),
    )


def occupation_from_node(ctx: Context, node: dict[str, Any]) -> Occupation | None:
    """A `ceterms:Occupation` (Job, WorkRole) node, coded by its own occupationType if any."""
    if not set(types(node)) & _OCCUPATION_TYPES:
        return occupation_from_alignment(ctx, node)
    name = label(prop(node, "name"))
    alt = tuple(dict.fromkeys(normalise_text(t) for t in texts(prop(node, "alternateName"))))
    ref = ref_of(node)
    uri = ref if ref and ref.startswith(("http://", "https://")) else None
    for cao in as_list(prop(node, "occupationType")):
        coded = occupation_from_alignment(ctx, cao) if isinstance(cao, dict) else None
        if coded is not None and coded.framework == "O*NET-SOC":
            return _occupation(
                ctx,
                name or coded.name,
                coded.code,
                uri or coded.uri,
                coded.framework,
                text(prop(node, "description")) or coded.description,
                alt,
            )
    return _occupation(
        ctx,
        name,
        label(prop(node, "codedNotation")),
        uri,
        None,
        text(prop(node, "description")),
        alt,
    )


def occupation_links(ctx: Context, node: dict[str, Any]) -> tuple[OccupationLink, ...]:
    links: dict[str, OccupationLink] = {}
    for cao in as_list(prop(node, "occupationType")):
        found = ctx.nodes.resolve(cao)
        occupation = occupation_from_node(ctx, found) if found else None
        if occupation is not None:
            links.setdefault(occupation.id, OccupationLink(occupation, "ctdl:occupationType", 1.0))
    for profile in as_list(prop(node, "isPreparationFor")):
        condition = ctx.nodes.resolve(profile)
        for target in as_list(prop(condition, "targetOccupation")) if condition else []:
            found = ctx.nodes.resolve(target)
            ref = ref_of(target)
            if found is None:
                if is_bnode(ref):
                    ctx.missing(str(ref))
                elif ref:
                    ctx.warn(f"{ctx.doc.url}: occupation {ref} is not in the document; not linked")
                continue
            occupation = occupation_from_node(ctx, found)
            if occupation is not None:
                links.setdefault(
                    occupation.id, OccupationLink(occupation, "ctdl:isPreparationFor", 1.0)
                )
    return tuple(links.values())


def skill_from_alignment(ctx: Context, value: Any, frameworks: dict[str, str]) -> Skill | None:
    found = ctx.nodes.resolve(value)
    if found is None:
        ref = ref_of(value)
        if is_bnode(ref):
            ctx.missing(str(ref))
        elif ref:
            ctx.warn(f"{ctx.doc.url}: competency {ref} is not in the document; not linked")
        return None
    if is_competency(found):
        return competency_skill(ctx, found, frameworks)
    target = uri_text(prop(found, "targetNode"))
    in_graph = ctx.nodes.resolve(target) if target else None
    if in_graph is not None and is_competency(in_graph):
        return competency_skill(ctx, in_graph, frameworks)
    description = text(prop(found, "targetNodeDescription"))
    name = label(prop(found, "targetNodeName")) or statement_name(description)
    if not name:
        ctx.warn(f"{ctx.doc.url}: a competency alignment has no name; not linked")
        return None
    code = label(prop(found, "codedNotation"))
    framework = label(prop(found, "frameworkName")) or uri_text(prop(found, "framework"))
    return Skill(
        id=skill_id(uri=target, framework=framework, code=code, label=name),
        name=name,
        framework=framework,
        uri=target,
        code=code,
        description=description if description and description != name else None,
        provenance=ctx.provenance,
    )


def skill_links(ctx: Context, node: dict[str, Any]) -> tuple[SkillLink, ...]:
    frameworks = framework_names(ctx)
    wanted: list[tuple[Any, SkillRelation, str]] = []
    wanted += [(v, SkillRelation.TEACHES, "ctdl:teaches") for v in as_list(prop(node, "teaches"))]
    wanted += [
        (v, SkillRelation.ASSESSES, "ctdl:assesses") for v in as_list(prop(node, "assesses"))
    ]
    for profile in as_list(prop(node, "requires")):
        condition = ctx.nodes.resolve(profile)
        for v in as_list(prop(condition, "targetCompetency")) if condition else []:
            wanted.append((v, SkillRelation.ASSESSES, "ctdl:requires"))
    links: dict[tuple[str, SkillRelation], SkillLink] = {}
    for value, relation, method in wanted:
        skill = skill_from_alignment(ctx, value, frameworks)
        if skill is not None:
            links.setdefault((skill.id, relation), SkillLink(skill, relation, method, 1.0))
    return tuple(links.values())


def _coded_prefix(cao: dict[str, Any]) -> str | None:
    hint = " ".join(
        filter(None, [uri_text(prop(cao, "framework")), label(prop(cao, "frameworkName"))])
    ).lower()
    for needle, prefix in _CODED:
        if needle in hint:
            return prefix
    return label(prop(cao, "frameworkName"))


def keywords(ctx: Context, node: dict[str, Any]) -> tuple[str, ...]:
    """Keywords, subjects, degree major/concentration, and industry (NAICS) and instructional
    program (CIP) alignments as both their label and a coded keyword such as `NAICS 54`."""
    words = [normalise_text(t) for t in texts(prop(node, "keyword"))]
    for name in ("subject", "degreeMajor", "degreeConcentration"):
        words += concept_labels(prop(node, name))
    for name in ("industryType", "naics", "instructionalProgramType"):
        for value in as_list(prop(node, name)):
            cao = ctx.nodes.resolve(value) if not isinstance(value, str) else None
            if cao is None:  # `ceterms:naics` holds bare codes
                bare = "NAICS " if name == "naics" else ""
                words += [bare + normalise_text(t) for t in texts(value)]
                continue
            words += concept_labels(cao)
            code, prefix = label(prop(cao, "codedNotation")), _coded_prefix(cao)
            if code:
                words.append(f"{prefix} {code}" if prefix else code)
    seen: dict[str, str] = {}
    for word in words:
        if word:
            seen.setdefault(word.casefold(), word)
    return tuple(seen.values())
