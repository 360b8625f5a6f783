"""schema.org EducationalOccupationalCredential, EducationalOccupationalProgram and Course,
from JSON-LD in HTML pages or JSON-LD documents; and the sitemaps and robots.txt files that
lead the crawl to those pages.

What a document yields:

* every named node of the three types or their subtypes (`WorkBasedProgram`; see SUBTYPES),
  wherever it sits (top level, `@graph`, nested), is one Credential. Nodes referenced by `@id` inside the same document are resolved first.
* a program (or course) and the EducationalOccupationalCredential it awards are one record:
  the awarded credential gives the type and fills level, skills, occupations, validity and
  accreditation the program does not state; it is not emitted again on its own.
* a credential's id: its CTID (`identifier` PropertyValue with propertyID "ctid"), else its
  `@id` when that is an absolute URI (relative ones are resolved against the page first; the
  fragment is kept, so `page#course-a` and `page#course-b` stay apart), else the page URL +
  "#" + a slug of its name (case-folded words joined by "-").
* providers become issuers (also listed in `ParseResult.issuers`); `recognizedBy` becomes
  `accredited_by`. Skills and occupations are only embedded in the credentials: a catalog
  page is not the authority for a taxonomy node.
* `teaches` gives TEACHES links; `competencyRequired` and `assesses` give ASSESSES links (what
  must be demonstrated to earn the credential), each with the property as its `method`.
* a sitemap (urlset or sitemapindex) or a robots.txt yields no records, only `next_pages`:
  child sitemaps first, then pages.

Records without a name are skipped with a warning; a broken JSON-LD block is reported and
the others are still read. Only a document that is none of the above is a ParseError.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from credgraph.formats.alternate_names import alternate_names
from credgraph.formats.base import Document, ParseError, ParseResult
from credgraph.formats.links import one_link_per_target
from credgraph.formats.normalise import (
    clean_text,
    credential_type,
    duration_from_text,
    language,
    text_value,
)
from credgraph.formats.schemaorg import values as v
from credgraph.formats.schemaorg.jsonld import Graph, is_absolute, page_graph, types
from credgraph.formats.sitemaps import is_sitemap, parse_sitemap, sitemaps_from_robots
from credgraph.model.records import Credential, Issuer, OccupationLink, Provenance, SkillLink
from credgraph.model.validation import validate_credential
from credgraph.model.values import CredentialType, Duration, SkillRelation

PROGRAM = "EducationalOccupationalProgram"
COURSE = "Course"
CREDENTIAL = "EducationalOccupationalCredential"
KINDS = (PROGRAM, COURSE, CREDENTIAL)  # priority when a node has several types
# schema.org's subclasses of the three kinds (schema.org 29: WorkBasedProgram, pending, under
# EducationalOccupationalProgram; Course and EducationalOccupationalCredential have none yet).
# A new subclass goes here; a type outside schema.org can still say what it is through
# `additionalType`.
SUBTYPES: dict[str, str] = {"WorkBasedProgram": PROGRAM}
_AWARDED = ("occupationalCredentialAwarded", "educationalCredentialAwarded")
_SKILL_PROPS = (
    ("teaches", SkillRelation.TEACHES),
    ("competencyRequired", SkillRelation.ASSESSES),
    ("assesses", SkillRelation.ASSESSES),
)
_ROBOTS_LINE = re.compile(r"^\s*(?:sitemap|user-agent|disallow|allow)\s*:", re.I | re.M)
_ERRORS = (ValueError, TypeError, AttributeError, KeyError, RecursionError)


def parse(doc: Document) -> ParseResult:
    """Records from an HTML page or a JSON-LD document; next pages from a sitemap or robots.txt."""
    text = doc.text.lstrip("\ufeff")
    head = text.lstrip()
    if not head:
        raise ParseError(doc.url, "empty document")
    if head[0] == "<":
        if is_sitemap(head):
            return _sitemap(doc, text)
        return _html(doc, text)
    if head[0] in "{[":
        data = doc.json()
        if not isinstance(data, (dict, list)):
            raise ParseError(doc.url, "JSON-LD must be an object or an array")
        graph = Graph(doc.url)
        graph.add(data, "document")
        return _records(doc, graph, ParseResult(warnings=list(graph.warnings)))
    if _is_robots(doc, head):
        result = ParseResult(next_pages=sitemaps_from_robots(text, doc.url))
        if not result.next_pages:
            result.warnings.append("robots.txt names no sitemap")
        return result
    raise ParseError(doc.url, "neither HTML, JSON-LD, a sitemap nor a robots.txt")


def _is_robots(doc: Document, head: str) -> bool:
    media = (doc.media_type or "").split(";", 1)[0].strip().lower()
    path = urlsplit(doc.url).path.lower() if "://" in doc.url else ""
    return path.endswith("/robots.txt") or (
        media in ("text/plain", "") and bool(_ROBOTS_LINE.search(head[:65536]))
    )


def _sitemap(doc: Document, text: str) -> ParseResult:
    found = parse_sitemap(text, doc.url)
    pages = [loc for loc, _ in found.pages]
    return ParseResult(next_pages=[*found.sitemaps, *pages], warnings=list(found.warnings))


def _html(doc: Document, text: str) -> ParseResult:
    graph, warnings = page_graph(doc.url, text)
    result = ParseResult(warnings=warnings)
    if graph is None:
        return result
    result.warnings.extend(graph.warnings)
    return _records(doc, graph, result)


def _kind(node: dict[str, Any]) -> str | None:
    """The kind of record a node is, from its types, their schema.org subtypes, or an
    `additionalType` naming one of them (`https://schema.org/WorkBasedProgram`)."""
    found = {SUBTYPES.get(t, t) for t in types(node)}
    extra = node.get("additionalType")
    for value in extra if isinstance(extra, list) else [extra]:
        if isinstance(value, str) and value.strip():
            name = re.split(r"[/#:]", value.strip().rstrip("/"))[-1]
            found.add(SUBTYPES.get(name, name))
    return next((k for k in KINDS if k in found), None)


def _key(graph: Graph, node: dict[str, Any]) -> object:
    return graph.node_id(node) or id(node)


def _records(doc: Document, graph: Graph, result: ParseResult) -> ParseResult:
    provenance = doc.provenance()
    consumed: set[object] = set()
    described: set[object] = set()
    for node in graph.nodes:
        if _kind(node) in (PROGRAM, COURSE):
            for prop in _AWARDED:
                consumed.update(
                    _key(graph, a)
                    for a in graph.items(node, prop, strings=True)
                    if isinstance(a, dict)
                )
            # a prerequisite described, not named ({"credentialCategory": "High school
            # diploma"}) is the program's prerequisites text, not a record that lacks a name
            for prop in ("programPrerequisites", "coursePrerequisites"):
                described.update(
                    _key(graph, p)
                    for p in graph.items(node, prop, strings=True)
                    if isinstance(p, dict) and not text_value(p.get("name"))
                )
    done: set[object] = set()
    ids: set[str] = set()
    issuers: dict[str, Issuer] = {}
    for node in graph.nodes:
        kind = _kind(node)
        full = graph.deref(node)
        if kind is None or not set(full) - {"@id", "@type", "@context"}:
            continue  # not a record type, or a bare reference to a node defined elsewhere
        key = _key(graph, full)
        if key in done or key in described or (kind == CREDENTIAL and key in consumed):
            continue
        done.add(key)
        label = f"{kind} {graph.node_id(full) or ''}".rstrip()
        try:
            credential = _credential(graph, full, kind, doc, provenance, result.warnings)
        except _ERRORS as exc:
            result.warnings.append(f"{label} skipped: {type(exc).__name__}: {exc}"[:300])
            continue
        if credential is None:
            continue
        if credential.id in ids:
            result.warnings.append(f"{label} skipped: id {credential.id} already used")
            continue
        ids.add(credential.id)
        result.credentials.append(credential)
        if credential.issuer is not None:
            issuers.setdefault(credential.issuer.id, credential.issuer)
    result.issuers.extend(issuers.values())
    if not result.credentials:
        result.warnings.append(f"no named {', '.join(KINDS)} found")
    return result


def _credential(
    graph: Graph,
    node: dict[str, Any],
    kind: str,
    doc: Document,
    provenance: Provenance,
    warnings: list[str],
) -> Credential | None:
    name = v.text(node.get("name"))
    label = f"{kind} {graph.node_id(node) or ''}".rstrip()
    if not name:
        warnings.append(f"{label} skipped: no name")
        return None
    base = graph.base
    record_id, ctid = v.record_id(graph, node, doc.url)
    if record_id is None:
        return None
    awarded = [a for p in _AWARDED for a in graph.items(node, p, strings=True)]
    sources = [node, *(a for a in awarded if isinstance(a, dict))]
    problems: list[str] = []

    def first(reader: Any) -> Any:
        return next((found for s in sources if (found := reader(s)) is not None), None)

    skills: dict[tuple[str, SkillRelation], SkillLink] = {}
    occupations: dict[str, OccupationLink] = {}
    accreditors: dict[str, Issuer] = {}
    for source in sources:
        for prop, relation in _SKILL_PROPS:
            for item in graph.items(source, prop):
                skill = v.term_skill(graph, item, base, provenance, problems)
                if skill is not None:
                    link = SkillLink(skill, relation, method=f"schemaorg:{prop}")
                    skills.setdefault((skill.id, relation), link)
        for item in graph.items(source, "occupationalCategory"):
            found = v.occupation(graph, item, base, provenance, problems)
            if found is not None:
                occupations.setdefault(
                    found.id, OccupationLink(found, method="schemaorg:occupationalCategory")
                )
        for item in graph.items(source, "recognizedBy", strings=True):
            org = v.organisation(graph, item, base, provenance, problems)
            if org is not None:
                accreditors.setdefault(org.id, org)
    issuer = next(
        (
            org
            for item in graph.items(node, "provider", strings=True)
            if (org := v.organisation(graph, item, base, provenance, problems)) is not None
        ),
        None,
    )
    prerequisites, requires = _prerequisites(graph, node, doc.url)
    duration = _duration(graph, node)
    credential = Credential(
        id=record_id,
        name=name,
        type=_type(graph, node, kind, awarded),
        description=first(lambda s: clean_text(text_value(s.get("description")))),
        ctid=ctid,
        url=v.absolute_url(node.get("url"), base),
        issuer=issuer,
        language=language(node.get("inLanguage")) or language(node.get("availableLanguage")),
        duration_hours=duration.max_hours if duration else None,
        duration=duration,
        credits=_credits(graph, sources, problems),
        level=first(lambda s: _level(graph, s)),
        delivery_mode=_mode(graph, node),
        cost=v.cost(graph, node, problems)
        or next((c for a in sources[1:] if (c := v.cost(graph, a, problems))), None),
        accredited_by=tuple(accreditors.values()),
        prerequisites=prerequisites,
        requires=requires,
        has_part=_parts(graph, node, doc.url),
        part_of=_refs(graph, node, ("isPartOf",), doc.url, record_id),
        prepares_for=_awarded_elsewhere(graph, awarded, doc.url, record_id),
        validity=first(lambda s: v.text(graph.first(s, "validFor"))),
        keywords=_keywords(graph, node),
        alternate_names=alternate_names(graph.items(node, "alternateName"), name),
        skills=tuple(skills.values()),
        occupations=tuple(occupations.values()),
        provenance=provenance,
    )
    credential = one_link_per_target(credential)
    warnings.extend(f"{label}: {p}" for p in problems)
    invalid = validate_credential(credential)
    if invalid:
        warnings.append(f"{label} skipped: {invalid[0]}")
        return None
    return credential


def _type(graph: Graph, node: dict[str, Any], kind: str, awarded: list[Any]) -> CredentialType:
    if kind == COURSE:
        return CredentialType.COURSE
    hints: list[Any] = []
    for source in [node] if kind == CREDENTIAL else awarded:
        if isinstance(source, str):
            hints.append(source)
            continue
        for category in graph.items(source, "credentialCategory", strings=True):
            if isinstance(category, dict):
                hints += [category.get("name"), category.get("termCode"), category.get("@id")]
            else:
                hints.append(category)
        if kind != CREDENTIAL:
            hints.append(source.get("name"))
    if kind == PROGRAM:
        hints.append(node.get("programType"))
    hints.append(node.get("name"))
    return credential_type(*(text_value(h) for h in hints if h is not None))


def _level(graph: Graph, node: dict[str, Any]) -> str | None:
    level = graph.first(node, "educationalLevel")
    if isinstance(level, dict):
        return v.text(level.get("name")) or v.text(level.get("termCode"))
    return v.text(level)


def _duration(graph: Graph, node: dict[str, Any]) -> Duration | None:
    """timeToComplete, timeRequired or a course instance's courseWorkload: the first that
    gives study hours, else the first published at all (kept with unknown hours)."""
    values = [node.get("timeToComplete"), node.get("timeRequired")]
    values += [
        i.get("courseWorkload")
        for i in graph.items(node, "hasCourseInstance")
        if isinstance(i, dict)
    ]
    found = [d for x in values if (d := duration_from_text(text_value(x))) is not None]
    return next((d for d in found if d.max_hours is not None), found[0] if found else None)


def _credits(graph: Graph, sources: list[dict[str, Any]], problems: list[str]) -> Any:
    for source in sources:
        raw = graph.first(source, "numberOfCredits")
        if raw is None:
            continue
        found = v.credit_value(graph, raw)
        if found is None:
            problems.append(f"numberOfCredits {v.text(raw)!r:.80} is not a credit amount; ignored")
        return found
    return None


def _mode(graph: Graph, node: dict[str, Any]) -> str | None:
    values = graph.items(node, "educationalProgramMode") + graph.items(node, "courseMode")
    for instance in graph.items(node, "hasCourseInstance"):
        if isinstance(instance, dict):
            values += graph.items(instance, "courseMode")
    return v.delivery_mode(values)


def _ref_id(graph: Graph, item: Any, page: str) -> str | None:
    """The credential id a hasCourse/hasPart/prerequisite item refers to, if it has one."""
    if isinstance(item, str):
        key = graph.resolve_id(item)
        return v.uri_id(key) if key and is_absolute(key) else None
    if not isinstance(item, dict):
        return None
    if _kind(item) is None and set(item) - {"@id", "@type"}:
        return None  # a node of another type (a WebPage part...) is not a credential
    return v.record_id(graph, item, page)[0]


def _parts(graph: Graph, node: dict[str, Any], page: str) -> tuple[str, ...]:
    found: list[str] = []
    for prop in ("hasCourse", "hasPart"):
        for item in graph.items(node, prop, strings=True):
            part = _ref_id(graph, item, page)
            if part and part not in found:
                found.append(part)
    return tuple(found)


def _refs(
    graph: Graph, node: dict[str, Any], props: tuple[str, ...], page: str, own: str
) -> tuple[str, ...]:
    found: list[str] = []
    for prop in props:
        for item in graph.items(node, prop, strings=True):
            if isinstance(item, str) and not _is_url(item):
                continue  # a name, not a reference
            ref = _ref_id(graph, item, page)
            if ref and ref != own and ref not in found:
                found.append(ref)
    return tuple(found)


def _is_url(value: str) -> bool:
    return value.strip().startswith(("http://", "https://"))


def _awarded_elsewhere(graph: Graph, awarded: list[Any], page: str, own: str) -> tuple[str, ...]:
    """A credential awarded by reference only (a URL, a bare @id) is described elsewhere:
    the program prepares for it. One described here is read into the program's own record."""
    found: list[str] = []
    for item in awarded:
        if isinstance(item, dict) and set(item) - {"@id", "@type"}:
            continue
        if isinstance(item, str) and not _is_url(item):
            continue  # the credential's name only
        ref = _ref_id(graph, item, page)
        if ref and ref != own and ref not in found:
            found.append(ref)
    return tuple(found)


def _prerequisites(
    graph: Graph, node: dict[str, Any], page: str
) -> tuple[str | None, tuple[str, ...]]:
    texts: list[str] = []
    requires: list[str] = []
    for prop in ("programPrerequisites", "coursePrerequisites"):
        for item in graph.items(node, prop, strings=True):
            if isinstance(item, dict):
                said = clean_text(
                    text_value(
                        item.get("name")
                        or item.get("targetName")
                        or item.get("description")
                        or _category(graph, item)  # {"credentialCategory": "High school diploma"}
                    )
                )
                ref = _ref_id(graph, item, page) if _kind(item) is not None else None
                if ref and ref not in requires:
                    requires.append(ref)
            else:
                said = clean_text(text_value(item))
            if said and said not in texts:
                texts.append(said)
    return ("\n".join(texts) or None), tuple(requires)


def _category(graph: Graph, item: dict[str, Any]) -> str | None:
    """An EducationalOccupationalCredential's credentialCategory: text or a DefinedTerm."""
    category = graph.deref(item.get("credentialCategory"))
    if isinstance(category, dict):
        return text_value(category.get("name")) or text_value(category.get("termCode"))
    return text_value(category)


def _keywords(graph: Graph, node: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for item in graph.items(node, "keywords"):
        if isinstance(item, dict):
            words = [v.text(item.get("name"))]
        else:
            words = [v.text(w) for w in (text_value(item) or "").split(",")]
        found += [w for w in words if w and w not in found]
    return tuple(found)
