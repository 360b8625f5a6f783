"""JSON-LD: one document, `{"@context": ..., "@graph": [...]}`, streamed. The context maps our
fields to CTDL (`ceterms:`), schema.org and SKOS where those vocabularies have the term, and
to credgraph's own terms (`cg:`) where they do not. Node ids that are URIs (ESCO concepts,
issuer and credential pages) are used as they are, so the triples join the published ESCO
graph, but for what an IRI cannot hold (a space, angle brackets, a backslash...),
percent-encoded there and in URL values alike; other ids become `urn:credgraph:` IRIs, and a
node's framework URI (O*NET OnLine pages) is given as `skos:exactMatch`.

An edge is written as its own `{"@id": source, predicate: {"@id": target}}` object (JSON-LD
merges objects with the same id), so edges stream after nodes without holding them. Edge
attributes (link method, confidence, importance) have no place on a plain triple: they are in
the GraphML, CSV and NDJSON exports.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from credgraph.export.columns import NODE_PROPERTIES, typed
from credgraph.export.formats.base import Format
from credgraph.model.values import EdgeType, NodeKind
from credgraph.model.views import GraphEdge, GraphNode
from credgraph.store.equivalence import CLOSE_MATCH

CG = "urn:credgraph:term:"

CONTEXT: dict[str, Any] = {
    "ceterms": "https://purl.org/ctdl/terms/",
    "ceasn": "https://purl.org/ctdlasn/terms/",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "cg": CG,
    "name": "schema:name",
    "description": "schema:description",
    "url": {"@id": "schema:url", "@type": "@id"},
    "ctid": "ceterms:ctid",
    "country": "schema:addressCountry",
    "email": "schema:email",
    "language": "ceterms:inLanguage",
    "type": "cg:credentialType",
    "level": "cg:level",
    "assessment": "cg:assessment",
    "delivery_mode": "cg:deliveryMode",
    "duration_hours": {"@id": "cg:durationHours", "@type": "xsd:double"},
    "credits_value": {"@id": "cg:creditValue", "@type": "xsd:double"},
    "credits_unit": "cg:creditUnit",
    "cost_amount": {"@id": "schema:price", "@type": "xsd:double"},
    "cost_currency": "schema:priceCurrency",
    "prerequisites": "cg:prerequisites",
    "validity": "cg:validity",
    "criteria": "cg:criteria",
    "keywords": {"@id": "schema:keywords", "@container": "@set"},
    "alternate_names": {"@id": "schema:alternateName", "@container": "@set"},
    "transparency": {"@id": "cg:transparencyScore", "@type": "xsd:double"},
    "stale": "cg:stale",
    "first_seen": {"@id": "cg:firstSeen", "@type": "xsd:dateTime"},
    "updated_at": {"@id": "cg:updatedAt", "@type": "xsd:dateTime"},
    "last_seen": {"@id": "cg:lastSeen", "@type": "xsd:dateTime"},
    "framework": "cg:framework",
    "code": "ceterms:codedNotation",
    "alt_labels": {"@id": "skos:altLabel", "@container": "@set"},
    "uri": {"@id": "skos:exactMatch", "@type": "@id"},
    # Outcomes as the publisher reports them: a value, and the months after award it is for.
    "outcome_median_earnings": {"@id": "cg:outcomeMedianEarnings", "@type": "xsd:double"},
    "outcome_median_earnings_currency": "cg:outcomeMedianEarningsCurrency",
    "outcome_median_earnings_months": {
        "@id": "cg:outcomeMedianEarningsMonths",
        "@type": "xsd:double",
    },
    "outcome_employment_rate": {"@id": "cg:outcomeEmploymentRate", "@type": "xsd:double"},
    "outcome_employment_rate_months": {
        "@id": "cg:outcomeEmploymentRateMonths",
        "@type": "xsd:double",
    },
    "outcome_awarded": {"@id": "cg:outcomeAwarded", "@type": "xsd:double"},
    "outcome_awarded_months": {"@id": "cg:outcomeAwardedMonths", "@type": "xsd:double"},
    "outcome_completion_rate": {"@id": "cg:outcomeCompletionRate", "@type": "xsd:double"},
    "outcome_completion_rate_months": {
        "@id": "cg:outcomeCompletionRateMonths",
        "@type": "xsd:double",
    },
    # "RELATION:body" per quality-assurance body (ACCREDITED:ABET)
    "quality_assurance": {"@id": "cg:qualityAssurance", "@container": "@set"},
    "source_id": "cg:source",
    "source_url": {"@id": "cg:sourceDocument", "@type": "@id"},
    "fetched_at": {"@id": "cg:fetchedAt", "@type": "xsd:dateTime"},
    "ownedBy": {"@id": "ceterms:ownedBy", "@type": "@id"},
    "teaches": {"@id": "ceterms:teaches", "@type": "@id"},
    "assesses": {"@id": "ceterms:assesses", "@type": "@id"},
    "occupationType": {"@id": "ceterms:occupationType", "@type": "@id"},
    "isPartOf": {"@id": "ceterms:isPartOf", "@type": "@id"},
    "requires": {"@id": "cg:requiresCredential", "@type": "@id"},
    "requiresSkill": {"@id": "cg:requiresSkill", "@type": "@id"},
    "exactMatch": {"@id": "skos:exactMatch", "@type": "@id"},
    "closeMatch": {"@id": "skos:closeMatch", "@type": "@id"},
    "broader": {"@id": "skos:broader", "@type": "@id"},
    "accreditedBy": {"@id": "ceterms:accreditedBy", "@type": "@id"},
    "isPreparationFor": {"@id": "ceterms:isPreparationFor", "@type": "@id"},
    "isAdvancedStandingFor": {"@id": "ceterms:isAdvancedStandingFor", "@type": "@id"},
    "pathwayLeadsTo": {"@id": "cg:pathwayLeadsTo", "@type": "@id"},
}

# Where a term names a relationship: the JSON key an edge of each type is written under.
EDGE_TERMS: dict[EdgeType, str] = {
    EdgeType.ISSUED_BY: "ownedBy",
    EdgeType.TEACHES: "teaches",
    EdgeType.ASSESSES: "assesses",
    EdgeType.PREPARES_FOR: "occupationType",
    EdgeType.PART_OF: "isPartOf",
    EdgeType.REQUIRES: "requires",
    EdgeType.PREPARES_FOR_CREDENTIAL: "isPreparationFor",
    EdgeType.ADVANCED_STANDING: "isAdvancedStandingFor",
    EdgeType.PUBLISHED_PATHWAY: "pathwayLeadsTo",
    EdgeType.REQUIRES_SKILL: "requiresSkill",
    EdgeType.SAME_AS: "exactMatch",
    EdgeType.BROADER: "broader",
    EdgeType.ACCREDITED_BY: "accreditedBy",
}

NODE_TYPES: dict[NodeKind, str] = {
    NodeKind.ISSUER: "ceterms:CredentialOrganization",
    NodeKind.SKILL: "ceasn:Competency",
    NodeKind.OCCUPATION: "ceterms:Occupation",
}
CREDENTIAL_TYPES: dict[str, str] = {
    "BADGE": "ceterms:Badge",
    "MICRO_CREDENTIAL": "ceterms:MicroCredential",
    "CERTIFICATE": "ceterms:Certificate",
    "CERTIFICATION": "ceterms:Certification",
    "LICENSE": "ceterms:License",
    "DEGREE": "ceterms:Degree",
    "COURSE": "ceterms:Course",
}
# Columns that list the ids of linked nodes: written as the edges they are, not as values.
AS_EDGES: dict[str, EdgeType] = {
    "requires": EdgeType.REQUIRES,
    "part_of": EdgeType.PART_OF,
    "has_part": EdgeType.PART_OF,
    "broader": EdgeType.BROADER,
    "same_as": EdgeType.SAME_AS,
    "prepares_for": EdgeType.PREPARES_FOR_CREDENTIAL,
    "prepared_by": EdgeType.PREPARES_FOR_CREDENTIAL,
}
# `type` is written under its own key, after the loop, for credentials only.
_SKIP = frozenset({*AS_EDGES, "type"})


# Columns whose values are IRIs (`"@type": "@id"` in the context).
_IRI_VALUES = frozenset(
    name for name, term in CONTEXT.items() if isinstance(term, dict) and term.get("@type") == "@id"
)
# ASCII an IRI holds nowhere (RFC 3987): controls, space, <>"{}|\^` and backtick, and a "%"
# that does not begin a percent-encoding.
_NOT_IN_IRI = re.compile(r'[\x00-\x20\x7f<>"{}|\\^`]|%(?![0-9A-Fa-f]{2})')


def iri(node_id: str) -> str:
    """A node's IRI, the same for its `@id` and every edge at it: an http(s) id as it is but
    for what an IRI cannot hold (so the triples join the published graph), any other id
    under `urn:credgraph:`."""
    if node_id.startswith(("http://", "https://")):
        return safe_iri(node_id)
    return "urn:credgraph:" + quote(node_id, safe=":/-._~@")


def safe_iri(text: str) -> str:
    """`text` with what an IRI cannot hold percent-encoded (as UTF-8): JSON-LD processors
    drop a node whose @id is not an IRI, with every edge at it. A second "#" is encoded too:
    an IRI has one fragment."""
    head, mark, fragment = text.partition("#")
    text = head + mark + fragment.replace("#", "%23")
    text = _NOT_IN_IRI.sub(_percent, text)
    return "".join(c if _iri_char(c) else _percent_char(c) for c in text)


def _iri_char(char: str) -> bool:
    """ASCII (checked above), or a character RFC 3987's `ucschar` allows."""
    code = ord(char)
    if code < 0x80:
        return True
    if code <= 0xFFFF:
        return 0xA0 <= code <= 0xD7FF or 0xF900 <= code <= 0xFDCF or 0xFDF0 <= code <= 0xFFEF
    return (code & 0xFFFF) <= 0xFFFD and (code <= 0xDFFFF or code >= 0xE1000) and code < 0xF0000


def _percent(match: re.Match[str]) -> str:
    return _percent_char(match.group())


def _percent_char(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))


class JsonLd(Format):
    name = "jsonld"
    media_type = "application/ld+json"
    files = ("graph.jsonld",)

    def __init__(self) -> None:
        self.first = True

    def _item(self, value: dict[str, Any]) -> bytes:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        sep = "\n" if self.first else ",\n"
        self.first = False
        return (sep + text).encode("utf-8", "replace")

    def start(self) -> bytes:
        context = json.dumps({"@context": CONTEXT}, separators=(",", ":"))
        return (context[:-1] + ',"@graph":[').encode()

    def node(self, node: GraphNode) -> bytes:
        p = node.properties
        kind_type = NODE_TYPES.get(node.kind)
        if node.kind is NodeKind.CREDENTIAL:
            kind_type = CREDENTIAL_TYPES.get(str(p.get("type")), "ceterms:Credential")
        out: dict[str, Any] = {"@id": iri(node.id), "@type": kind_type}
        for column, type_ in NODE_PROPERTIES[node.kind].items():
            if column in _SKIP:
                continue
            value = typed(p.get(column), type_)
            if value is None:
                continue
            if isinstance(value, tuple):  # a list column
                out[column] = [v for v in value if v]
            elif column in _IRI_VALUES and isinstance(value, str):
                out[column] = safe_iri(value)
            else:
                out[column] = value
        if node.kind is NodeKind.CREDENTIAL and isinstance(p.get("type"), str):
            out["type"] = p["type"]
        return self._item(out)

    def edge(self, edge: GraphEdge) -> bytes:
        term = EDGE_TERMS[edge.type]
        if edge.type is EdgeType.SAME_AS and edge.properties.get("match") == CLOSE_MATCH:
            term = "closeMatch"  # computed from labels, not stated: similar, not the same
        return self._item({"@id": iri(edge.source), term: iri(edge.target)})

    def end(self) -> bytes:
        return b"\n]}\n"
