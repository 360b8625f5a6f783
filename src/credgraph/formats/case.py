"""CASE v1.0 (1EdTech Competencies and Academic Standards Exchange) competency frameworks.

Two documents are read:

* a CFPackage (`{CFDocument, CFItems[], CFAssociations[], CFDefinitions}`, optionally wrapped
  as `{"CFPackage": {...}}`): every CFItem becomes a `Skill` of the framework named by the
  CFDocument's title;
* a CFDocuments listing (`{"CFDocuments": [...]}`) or a single CFDocument: no records, each
  document's package goes to `next_pages` (its `CFPackageURI`, else the `/CFPackages/{id}`
  address derived from its `/CFDocuments/{id}` URI).

Mapping of a CFItem:

* id: the item's `uri` when it is an http(s)/urn URI, else the provider's address for it,
  `.../CFItems/{identifier}` next to the CFDocument's `.../CFDocuments/{id}` URI, else
  `urn:uuid:{identifier}` when the identifier is a UUID (CASE identifiers are unique);
* name: `fullStatement` with HTML stripped and whitespace collapsed, cut to 200 characters at
  a sentence end or word boundary (see `statement_name`); a placeholder statement such as
  "NA" falls back to `abbreviatedStatement`, then `humanCodingScheme`. The whole statement is
  kept as the description whenever the name is not the whole statement;
* code: `humanCodingScheme`; alt labels: `abbreviatedStatement`, `alternativeLabel`;
* `isChildOf` associations give BROADER (origin child -> destination parent); an association
  whose parent is the CFDocument itself (a top-level item) gives none. `exactMatchOf` gives
  `same_as` when the other end has an http(s)/urn URI (`local:` URIs name nothing outside the
  provider and are skipped, with one warning). Other association types are not mapped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin

from credgraph.formats.base import Document, ParseError, ParseResult, json_parser
from credgraph.formats.normalise import clean_text
from credgraph.model.ids import normalise_text, skill_id
from credgraph.model.records import Skill
from credgraph.model.validation import validate_skill

NAME_LIMIT = 200
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_PLACEHOLDERS = frozenset({"na", "n/a", "none", "-", "--", "tbd", "null", "."})
_SENTENCE_END = re.compile(r"[.!?](?=\s)")
_MARKDOWN = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def statement_name(value: Any, limit: int = NAME_LIMIT) -> str | None:
    """A display name from a competency statement: HTML and light Markdown (emphasis, escapes, a
    leading bullet) stripped, whitespace (line breaks too) collapsed, and cut to `limit` characters at the last sentence end if that keeps at least a
    third of the limit, else at the last word boundary with an ellipsis.

    >>> statement_name("Explain revenue\\nmanagement.")
    'Explain revenue management.'
    """
    text = clean_text(value)
    if text is None:
        return None
    text = normalise_text(_BULLET.sub("", _ESCAPED.sub(r"\1", _MARKDOWN.sub("", text))))
    if not text:
        return None
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= limit // 3:
        return head[: ends[-1]]
    cut = head[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return (cut or head[: limit - 1]) + "…"


@json_parser
def parse(doc: Document, data: Any) -> ParseResult:
    if not isinstance(data, dict):
        raise ParseError(doc.url, f"expected a CASE JSON object, got a JSON {_kind(data)}")
    if isinstance(data.get("CFPackage"), dict):
        data = data["CFPackage"]
    if "CFItems" in data or "CFAssociations" in data:
        return _package(doc, data)
    if "CFDocuments" in data:
        return _listing(doc, data.get("CFDocuments"))
    if "CFPackageURI" in data or ("identifier" in data and "title" in data):
        return _listing(doc, [data])
    if isinstance(data.get("imsx_codeMajor"), str) or isinstance(data.get("imsx_StatusInfo"), dict):
        raise ParseError(doc.url, "the CASE provider answered with an imsx_StatusInfo error")
    raise ParseError(doc.url, "not a CASE CFPackage, CFDocument or CFDocuments listing")


def _kind(data: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(data), "number"
    )


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _link_uri(value: Any) -> str | None:
    """The `uri` of a LinkURI/LinkGenURI object (or a bare URI string)."""
    if isinstance(value, dict):
        return _str(value.get("uri"))
    return _str(value)


def _is_uri(value: str | None) -> bool:
    return bool(value) and str(value).startswith(("http://", "https://", "urn:"))


# -- listings --------------------------------------------------------------------------------------
def _listing(doc: Document, documents: Any) -> ParseResult:
    result = ParseResult()
    if not isinstance(documents, list):
        raise ParseError(doc.url, "CFDocuments is not a list")
    if not documents:
        result.warnings.append(f"{doc.url}: the CFDocuments listing is empty")
    for entry in documents:
        if not isinstance(entry, dict):
            result.warnings.append(f"{doc.url}: skipped a CFDocuments entry that is not an object")
            continue
        package = _link_uri(entry.get("CFPackageURI"))
        own = _str(entry.get("uri"))
        if not package and own and "/CFDocuments/" in own:
            package = own.replace("/CFDocuments/", "/CFPackages/", 1)
        if package and not package.startswith(("http://", "https://")):
            package = urljoin(doc.url, package)
        if package and package.startswith(("http://", "https://")):
            if package not in result.next_pages:
                result.next_pages.append(package)
        else:
            name = _str(entry.get("title")) or _str(entry.get("identifier")) or "?"
            result.warnings.append(f"{doc.url}: CFDocument {name!r} gives no package address")
    return result


# -- packages --------------------------------------------------------------------------------------
def _package(doc: Document, data: dict[str, Any]) -> ParseResult:
    result = ParseResult()
    found = data.get("CFDocument")
    cf_doc: dict[str, Any] = found if isinstance(found, dict) else {}
    framework = statement_name(cf_doc.get("title")) or _str(cf_doc.get("identifier"))
    if framework is None:
        result.warnings.append(f"{doc.url}: the CFDocument has no title; skills have no framework")
    doc_ids = {v for v in (_str(cf_doc.get("identifier")), _str(cf_doc.get("uri"))) if v}
    doc_uri = _str(cf_doc.get("uri"))
    items = data.get("CFItems")
    if not isinstance(items, list):
        items = []
        result.warnings.append(f"{doc.url}: the package has no CFItems list")
    ids: dict[str, str] = {}  # CFItem identifier or uri -> skill id
    kept: list[tuple[dict[str, Any], str]] = []
    for item in items:
        if not isinstance(item, dict):
            result.warnings.append(f"{doc.url}: skipped a CFItem that is not an object")
            continue
        sid = _item_id(item, doc_uri)
        if sid is None:
            result.warnings.append(f"{doc.url}: skipped a CFItem with neither uri nor identifier")
            continue
        for key in (_str(item.get("identifier")), _str(item.get("uri"))):
            if key:
                ids[key] = sid
        kept.append((item, sid))
    broader, same_as = _associations(doc, data.get("CFAssociations"), ids, doc_ids, result)
    provenance = doc.provenance()
    for item, sid in kept:
        skill = _skill(item, sid, framework, broader.get(sid, []), same_as.get(sid, []))
        if skill is None:
            label = _str(item.get("identifier")) or _str(item.get("uri"))
            result.warnings.append(f"{doc.url}: skipped CFItem {label}: it has no statement")
            continue
        problems = validate_skill(skill)
        if problems:
            result.warnings.append(f"{doc.url}: skipped CFItem {sid[:200]}: {problems[0]}")
            continue
        result.skills.append(replace(skill, provenance=provenance))
    return result


def _item_id(item: dict[str, Any], doc_uri: str | None) -> str | None:
    uri = _str(item.get("uri"))
    if uri and _is_uri(uri):
        return _skill_uri_id(uri)
    ident = _str(item.get("identifier"))
    if ident is None:
        return None
    if doc_uri and "/CFDocuments/" in doc_uri:
        return _skill_uri_id(doc_uri.split("/CFDocuments/", 1)[0] + "/CFItems/" + ident)
    return f"urn:uuid:{ident.lower()}" if _UUID.match(ident) else None


def _skill_uri_id(uri: str) -> str | None:
    try:
        return skill_id(uri=uri, framework=None, code=None, label=None)
    except ValueError:
        return None


def _end_id(end: Any, ids: dict[str, str]) -> str | None:
    """The skill id of an association end: a CFItem of this package, else its own URI."""
    if not isinstance(end, dict):
        uri = _str(end)
        return ids.get(uri or "") or (_skill_uri_id(uri) if uri and _is_uri(uri) else None)
    for key in (_str(end.get("identifier")), _str(end.get("uri"))):
        if key and key in ids:
            return ids[key]
    uri = _str(end.get("uri"))
    return _skill_uri_id(uri) if uri and _is_uri(uri) else None


def _associations(
    doc: Document, associations: Any, ids: dict[str, str], doc_ids: set[str], result: ParseResult
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    broader: dict[str, list[str]] = {}
    same_as: dict[str, list[str]] = {}
    unlinked = 0
    for assoc in associations if isinstance(associations, list) else []:
        if not isinstance(assoc, dict):
            continue
        kind = _str(assoc.get("associationType"))
        if kind not in ("isChildOf", "exactMatchOf"):
            continue
        origin, destination = assoc.get("originNodeURI"), assoc.get("destinationNodeURI")
        child = _end_id(origin, ids)
        if child is None:
            continue
        if kind == "isChildOf":
            if _names_document(destination, doc_ids):
                continue
            parent = _end_id(destination, ids)
            if parent and parent != child and parent not in broader.setdefault(child, []):
                broader[child].append(parent)
            continue
        other = _end_id(destination, ids)
        if other is None:
            unlinked += 1
        elif other != child and other not in same_as.setdefault(child, []):
            same_as[child].append(other)
    if unlinked:
        result.warnings.append(
            f"{doc.url}: {unlinked} exactMatchOf association(s) point to a node without an "
            "http(s) or urn URI; not linked"
        )
    return broader, same_as


def _names_document(end: Any, doc_ids: set[str]) -> bool:
    if isinstance(end, dict):
        return any(_str(end.get(k)) in doc_ids for k in ("identifier", "uri"))
    return _str(end) in doc_ids


def _skill(
    item: dict[str, Any], sid: str, framework: str | None, broader: list[str], same_as: list[str]
) -> Skill | None:
    full = clean_text(item.get("fullStatement"))
    abbreviated = statement_name(item.get("abbreviatedStatement"))
    alternative = statement_name(item.get("alternativeLabel"))
    code = _str(item.get("humanCodingScheme"))
    name = statement_name(full) if full and full.strip().lower() not in _PLACEHOLDERS else None
    name = name or abbreviated or alternative or code
    if name is None:
        return None
    description = full if full and normalise_text(full) != name else None
    if description and description.strip().lower() in _PLACEHOLDERS:
        description = None
    alt = tuple(dict.fromkeys(a for a in (abbreviated, alternative) if a and a != name))
    uri = _str(item.get("uri"))
    return Skill(
        id=sid,
        name=name,
        framework=framework,
        uri=uri if uri and _is_uri(uri) else None,
        code=code,
        description=description,
        alt_labels=alt,
        broader=tuple(broader),
        same_as=tuple(same_as),
    )
