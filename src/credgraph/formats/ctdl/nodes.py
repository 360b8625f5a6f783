"""CTDL JSON-LD plumbing: property access across prefixes, language maps, concept labels, and
a node index that resolves references (URIs and `_:` blank nodes) within one graph."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from credgraph.formats.base import Document, ParseResult
from credgraph.formats.normalise import clean_text
from credgraph.model.ids import is_ctid, normalise_text, normalise_uri
from credgraph.model.records import Issuer, Provenance

CTID_IN = re.compile(r"ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_RESOURCE_URI = re.compile(r"^(https?://[^?#]+)/resources/(ce-[0-9a-f-]{36})/?$", re.I)
_PREFIXES = ("ceterms:", "ceasn:", "http://purl.org/ctdl/terms/", "http://purl.org/ctdlasn/terms/")
_ENGLISH = ("en", "en-us", "en-gb")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_TERM = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
MAX_DEPTH = 8
MAX_LABEL = 1000  # model.validation.MAX_NAME
MAX_URI = 2048  # model.validation.MAX_ID


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def prop(node: Mapping[str, Any], name: str) -> Any:
    """A CTDL property under any of its spellings (`ceterms:x`, `ceasn:x`, full IRI)."""
    for prefix in _PREFIXES:
        if prefix + name in node:
            return node[prefix + name]
    return None


def texts(value: Any, depth: int = 0) -> list[str]:
    """Every string in a value: plain text, `{"@value"}`, lists, and language maps (English
    preferred, else the first language; a language may hold a list of strings)."""
    if depth > MAX_DEPTH or value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list):
        return [t for item in value for t in texts(item, depth + 1)]
    if isinstance(value, dict):
        if "@value" in value:
            return texts(value["@value"], depth + 1)
        lowered = {str(k).lower(): v for k, v in value.items() if not str(k).startswith("@")}
        for lang in (*_ENGLISH, *(k for k in lowered if k.startswith("en-"))):
            if lang in lowered:
                return texts(lowered[lang], depth + 1)
        for item in lowered.values():
            found = texts(item, depth + 1)
            if found:
                return found
    return []


def text(value: Any) -> str | None:
    """The first string of a value, cleaned (HTML stripped, whitespace normalised)."""
    for item in texts(value):
        cleaned = clean_text(item)
        if cleaned:
            return cleaned
    return None


def fit(value: str, limit: int) -> str:
    """`value` cut to `limit` characters at a word boundary, with an ellipsis when cut."""
    if len(value) <= limit:
        return value
    cut = value[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return (cut or value[: limit - 1]) + "…"


def label(value: Any) -> str | None:
    """A one-line label (names, concept labels): cleaned, collapsed onto one line, and no
    longer than a record name may be."""
    found = text(value)
    return fit(normalise_text(found), MAX_LABEL) if found else None


def uri_text(value: Any) -> str | None:
    """The first http(s) URI of a value (string, `{"@id"}` or list)."""
    for item in as_list(value):
        ref = item.get("@id") if isinstance(item, dict) else item
        if (
            isinstance(ref, str)
            and ref.strip().startswith(("http://", "https://"))
            and len(ref.strip()) <= MAX_URI
        ):
            return ref.strip()
    return None


def local_name(term: str) -> str:
    """`ceterms:BachelorDegree` / full IRI / `deliveryType:OnlineOnly` -> the last segment."""
    tail = term.strip().rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return tail.rsplit(":", 1)[-1]


def split_camel(word: str) -> str:
    return _CAMEL.sub(" ", word).replace("_", " ").strip()


def types(node: Mapping[str, Any]) -> list[str]:
    """The local names of a node's CTDL/CTDL-ASN types."""
    out = []
    for t in as_list(node.get("@type")):
        if isinstance(t, str) and t.startswith(_PREFIXES):
            out.append(local_name(t))
    return out


def concept_key(value: Any) -> str | None:
    """The concept a CredentialAlignmentObject (or a bare concept term) names:
    `credentialStat:Deprecated` -> `Deprecated`."""
    node = prop(value, "targetNode") if isinstance(value, dict) else value
    for item in as_list(node):
        ref = item.get("@id") if isinstance(item, dict) else item
        if isinstance(ref, str) and ref.strip():
            return local_name(ref)
    return None


def concept_label(value: Any) -> str | None:
    """A concept's display label: its targetNodeName, else the term split from camel case."""
    if isinstance(value, dict):
        name = label(prop(value, "targetNodeName")) or label(prop(value, "name"))
        if name:
            return name
    key = concept_key(value)
    return split_camel(key) if key and _TERM.match(key) else None


def concept_labels(values: Any) -> list[str]:
    return list(dict.fromkeys(lab for v in as_list(values) if (lab := concept_label(v))))


def is_bnode(ref: Any) -> bool:
    return isinstance(ref, str) and ref.startswith("_:")


def ref_of(value: Any) -> str | None:
    """The @id a reference names: a string, or an object's `@id`."""
    ref = value.get("@id") if isinstance(value, dict) else value
    return ref.strip() if isinstance(ref, str) and ref.strip() else None


def ctid_of(node: Mapping[str, Any]) -> str | None:
    value = text(prop(node, "ctid"))
    return value.strip().lower() if value and is_ctid(value) else None


def ctid_in(uri: str) -> str | None:
    found = CTID_IN.findall(uri)
    return found[-1].lower() if found else None


def graph_url(resource_uri: str | None) -> str | None:
    """`.../resources/ce-X` -> `.../graph/ce-X` (the graph holds the resource's blank nodes)."""
    match = _RESOURCE_URI.match(resource_uri or "")
    return f"{match.group(1)}/graph/{match.group(2)}" if match else None


def uri_key(uri: str) -> str:
    try:
        return normalise_uri(uri)
    except ValueError:
        return uri.strip()


class Nodes:
    """Nodes of one graph by @id; references resolve to embedded objects or indexed nodes.
    A URI (never a blank node, whose name is local to its graph) not in this graph is looked
    up in `shared`: the other resources of the same envelope listing."""

    def __init__(self, shared: Nodes | None = None) -> None:
        self._by_id: dict[str, dict[str, Any]] = {}
        self.order: list[dict[str, Any]] = []
        self.shared = shared

    def add(self, node: Any) -> None:
        if not isinstance(node, dict):
            return
        ref = ref_of(node)
        if ref is None:
            self.order.append(node)
            return
        key = ref if is_bnode(ref) else uri_key(ref)
        if key not in self._by_id:
            self._by_id[key] = node
            self.order.append(node)

    def add_document(self, data: Any) -> None:
        """Index a resource, a `/graph/` document, an envelope or a list of these."""
        for node in graph_nodes(data):
            self.add(node)

    def resolve(self, value: Any) -> dict[str, Any] | None:
        if isinstance(value, dict) and set(value) - {"@id"}:
            return value
        ref = ref_of(value)
        if ref is None:
            return None
        if is_bnode(ref):
            return self._by_id.get(ref)
        found = self._by_id.get(uri_key(ref))
        if found is None and self.shared is not None:
            return self.shared.resolve(ref)
        return found

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.order)


def graph_nodes(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    """The nodes a CTDL document holds (a resource is its own single node)."""
    if depth > 3:
        return []
    if isinstance(data, list):
        return [n for item in data for n in graph_nodes(item, depth + 1)]
    if not isinstance(data, dict):
        return []
    if isinstance(data.get("decoded_resource"), dict):
        return graph_nodes(data["decoded_resource"], depth + 1)
    if isinstance(data.get("@graph"), list):
        return [n for n in data["@graph"] if isinstance(n, dict)]
    return [data] if "@type" in data or "@id" in data else []


@dataclass
class Context:
    """What one graph's mapping shares: the document, the node index, and what it found."""

    doc: Document
    nodes: Nodes
    result: ParseResult
    provenance: Provenance
    issuers: dict[str, Issuer] = field(default_factory=dict)
    missing_bnodes: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if message not in self.result.warnings:
            self.result.warnings.append(message)

    def need(self, url: str) -> None:
        if url not in self.result.needs:
            self.result.needs.append(url)

    def linked(self, url: str) -> tuple[bool, Any]:
        """Whether `doc.linked` answers for `url` (exactly or normalised), and its JSON."""
        if url in self.doc.linked:
            return True, self.doc.linked[url]
        key = uri_key(url)
        for known, value in self.doc.linked.items():
            if isinstance(known, str) and uri_key(known) == key:
                return True, value
        return False, None

    def missing(self, ref: str) -> None:
        if ref not in self.missing_bnodes:
            self.missing_bnodes.append(ref)
