"""Records to flat rows (SQLite columns / Neo4j properties) and back, shared by every adapter.

Each stored node keeps its full record as a JSON document (`doc`) plus the flat fields that
are filtered, sorted or shown without decoding. Edges a record declares are listed here too,
so both adapters write the same edges for the same record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Container, Iterable
from functools import lru_cache
from typing import Any, NamedTuple

from credgraph.model import codec
from credgraph.model.ids import normalise_label
from credgraph.model.records import Credential, Issuer, Occupation, Skill, SkillRequirement
from credgraph.model.stacking import AdvancedStanding
from credgraph.model.transparency import transparency_score
from credgraph.model.values import EdgeType, SkillRelation
from credgraph.model.views import FieldChange, RejectedRecord


class EdgeRow(NamedTuple):
    """An edge and the record whose upsert owns it (re-upserting the owner replaces them).

    A named tuple rather than a frozen dataclass: a load builds about eleven per credential,
    and a tuple is made in under half the time."""

    type: EdgeType
    source: str
    target: str
    owner: str
    props: str | None = None  # JSON object, or None


def _props(**values: Any) -> str | None:
    present = {k: v for k, v in values.items() if v is not None}
    return json.dumps(present, sort_keys=True) if present else None


@lru_cache(maxsize=4096, typed=True)
def _link_props(method: str | None, confidence: float | None) -> str | None:
    """A skill or occupation link's properties: a few distinct pairs repeat over every link
    of a batch, so each is encoded once."""
    return _props(method=method, confidence=confidence)


def document(record: Any, shared: codec.Encoded | None = None) -> tuple[str, str]:
    """A record's stored document and its content hash. The document leaves out provenance
    (kept per source elsewhere), so the same content always gives the same hash. `shared`:
    a batch's memo of embedded records (`codec.to_json`)."""
    encoded = codec.canonical_bytes(record, shared)
    # surrogatepass: a record holding a lone surrogate must reach validation (which rejects it
    # by name) instead of failing the whole batch here.
    return encoded.decode("utf-8", "surrogatepass"), hashlib.sha256(encoded).hexdigest()


def credential_row(
    c: Credential,
    doc: str | None = None,
    digest: str | None = None,
    shared: codec.Encoded | None = None,
) -> dict[str, Any]:
    if doc is None or digest is None:
        doc, digest = document(c, shared)
    # The record's link order, so a projected read lists skills and occupations as the
    # whole view does without decoding the document.
    skill_ids = list(dict.fromkeys([link.skill.id for link in c.skills]))
    occupation_ids = list(dict.fromkeys([link.occupation.id for link in c.occupations]))
    return {
        "id": c.id,
        "name": c.name,
        "name_key": normalise_label(c.name),
        "type": c.type.value,
        "ctid": c.ctid,
        "url": c.url,
        "issuer_id": c.issuer.id if c.issuer else None,
        "language": c.language,
        "cost_amount": c.cost.amount if c.cost else None,
        "cost_currency": c.cost.currency if c.cost else None,
        "duration_hours": c.duration_hours,
        "transparency": transparency_score(c),
        "skill_count": len(skill_ids),
        "occupation_count": len(occupation_ids),
        "skill_ids": skill_ids,
        "occupation_ids": occupation_ids,
        "content_hash": digest,
        "doc": doc,
        # A Neo4j property (SQLite keeps them in the document): the name index reads them.
        "alternate_names": list(c.alternate_names) or None,
        "search_body": " ".join(
            [
                c.description or "",
                " ".join(c.alternate_names),
                " ".join(c.keywords),
                " ".join(s.skill.name for s in c.skills),
            ]
        ).strip(),
    }


# TEACHES and ASSESSES name their edge types; looked up, not made by an enum call per link.
_RELATION_EDGES = {r: EdgeType(r.value) for r in SkillRelation}


def credential_edges(c: Credential) -> list[EdgeRow]:
    edges: list[EdgeRow] = []
    if c.issuer:
        edges.append(EdgeRow(EdgeType.ISSUED_BY, c.id, c.issuer.id, c.id))
    for link in c.skills:
        edge_type = _RELATION_EDGES[link.relation]
        props = _link_props(link.method, link.confidence)
        edges.append(EdgeRow(edge_type, c.id, link.skill.id, c.id, props))
    for occ in c.occupations:
        props = _link_props(occ.method, occ.confidence)
        edges.append(EdgeRow(EdgeType.PREPARES_FOR, c.id, occ.occupation.id, c.id, props))
    for target in c.part_of:
        edges.append(EdgeRow(EdgeType.PART_OF, c.id, target, c.id))
    for child in c.has_part:
        edges.append(EdgeRow(EdgeType.PART_OF, child, c.id, c.id))
    for target in c.requires:
        edges.append(EdgeRow(EdgeType.REQUIRES, c.id, target, c.id))
    for target in c.prepares_for:
        edges.append(EdgeRow(EdgeType.PREPARES_FOR_CREDENTIAL, c.id, target, c.id))
    for source in c.prepared_by:
        edges.append(EdgeRow(EdgeType.PREPARES_FOR_CREDENTIAL, source, c.id, c.id))
    for standing in c.advanced_standing_for:
        edges.append(
            EdgeRow(
                EdgeType.ADVANCED_STANDING,
                c.id,
                standing.credential,
                c.id,
                _standing_props(standing),
            )
        )
    for standing in c.advanced_standing_from:
        edges.append(
            EdgeRow(
                EdgeType.ADVANCED_STANDING,
                standing.credential,
                c.id,
                c.id,
                _standing_props(standing),
            )
        )
    for acc in c.accredited_by:
        edges.append(EdgeRow(EdgeType.ACCREDITED_BY, c.id, acc.id, c.id))
    # One edge per (type, source, target): a skill listed twice is one link.
    unique = {(e.type, e.source, e.target): e for e in edges if e.source != e.target}
    return list(unique.values())


def _standing_props(standing: AdvancedStanding) -> str | None:
    granted = standing.credits
    return _props(
        credits_value=granted.value if granted else None,
        credits_unit=granted.unit if granted else None,
        description=standing.description,
    )


def embedded_nodes(c: Credential) -> tuple[list[Issuer], list[Skill], list[Occupation]]:
    """Nodes a credential refers to, to create when missing."""
    issuers = ([c.issuer] if c.issuer else []) + list(c.accredited_by)
    return issuers, [s.skill for s in c.skills], [o.occupation for o in c.occupations]


def issuer_row(i: Issuer) -> dict[str, Any]:
    return {
        "id": i.id,
        "name": i.name,
        "name_key": normalise_label(i.name),
        "country": i.country,
        "ctid": i.ctid,
        "url": i.url,
        **dict(zip(("doc", "content_hash"), document(i), strict=True)),
        # A Neo4j property (SQLite keeps them in the document): the name index reads them.
        "alternate_names": list(i.alternate_names) or None,
        "search_body": " ".join([i.description or "", *i.alternate_names]).strip(),
    }


def issuer_edges(i: Issuer) -> list[EdgeRow]:
    return [
        EdgeRow(EdgeType.ACCREDITED_BY, i.id, a.id, i.id) for a in i.accredited_by if a.id != i.id
    ]


def skill_row(s: Skill) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "name_key": normalise_label(s.name),
        "framework": s.framework,
        "uri": s.uri,
        "code": s.code,
        **dict(zip(("doc", "content_hash"), document(s), strict=True)),
        "search_body": " ".join([s.description or "", *s.alt_labels]).strip(),
    }


def skill_edges(s: Skill) -> list[EdgeRow]:
    edges = [EdgeRow(EdgeType.BROADER, s.id, b, s.id) for b in s.broader if b != s.id]
    edges += [EdgeRow(EdgeType.SAME_AS, s.id, b, s.id) for b in s.same_as if b != s.id]
    return edges


def occupation_row(o: Occupation) -> dict[str, Any]:
    return {
        "id": o.id,
        "name": o.name,
        "name_key": normalise_label(o.name),
        "framework": o.framework,
        "uri": o.uri,
        "code": o.code,
        **dict(zip(("doc", "content_hash"), document(o), strict=True)),
        "search_body": " ".join([o.description or "", *o.alt_labels]).strip(),
    }


def requirement_edge(r: SkillRequirement, owner: str | None = None) -> EdgeRow:
    """Owned by the taxonomy source that states it (`owner`), whose next release replaces
    it; without one, by the occupation (as every requirement stored before owners was)."""
    return EdgeRow(
        EdgeType.REQUIRES_SKILL,
        r.occupation_id,
        r.skill.id,
        owner or r.occupation_id,
        _props(importance=r.importance, relation=r.relation),
    )


def unknown_occupations(
    batch: Iterable[SkillRequirement], known: Container[str]
) -> list[RejectedRecord]:
    """The requirements of `batch` whose occupation is not among `known`, refused by name:
    a requirement hangs on its occupation, which a taxonomy import stores first."""
    return [
        RejectedRecord(
            "skill requirement",
            r.occupation_id,
            (f"occupation {r.occupation_id!r} is not in the store",),
        )
        for r in batch
        if r.occupation_id not in known
    ]


def diff_credentials(old_doc: str, new_doc: str) -> tuple[FieldChange, ...]:
    """Top-level fields that differ between two stored credential documents."""
    old = json.loads(old_doc)
    new = json.loads(new_doc)
    old.pop("provenance", None)
    new.pop("provenance", None)
    names = sorted(set(old) | set(new))
    return tuple(
        FieldChange(name, old.get(name), new.get(name))
        for name in names
        if old.get(name) != new.get(name)
    )


# Outcomes as node properties: the first reported figure of each kind (exports are tables).
_OUTCOME_COLUMNS = {
    "MEDIAN_EARNINGS": "outcome_median_earnings",
    "EMPLOYMENT_RATE": "outcome_employment_rate",
    "AWARDED": "outcome_awarded",
    "COMPLETION_RATE": "outcome_completion_rate",
}


def _outcome_properties(outcomes: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for outcome in outcomes if isinstance(outcomes, list) else ():
        if not isinstance(outcome, dict):
            continue
        column = _OUTCOME_COLUMNS.get(str(outcome.get("kind")))
        if column is None or column in out:
            continue
        out[column] = outcome.get("value")
        if column == "outcome_median_earnings":
            out[f"{column}_currency"] = outcome.get("currency")
        if outcome.get("post_receipt_months") is not None:
            out[f"{column}_months"] = outcome.get("post_receipt_months")
    return out


def flat_properties(doc: dict[str, Any]) -> dict[str, Any]:
    """Scalar properties of a record document, for exports: nested money/credits flattened,
    lists of strings kept as lists, nested records (issuer, skills...) left to the edges."""
    out: dict[str, Any] = {}
    provenance = doc.get("provenance")
    if isinstance(provenance, dict):  # where the record was read: exports cite it
        for key, name in (
            ("source_id", "source_id"),
            ("url", "source_url"),
            ("fetched_at", "fetched_at"),
        ):
            if isinstance(provenance.get(key), str):
                out[name] = provenance[key]
    out.update(_outcome_properties(doc.get("outcomes")))
    qa = doc.get("quality_assurance")
    if isinstance(qa, list) and qa:
        out["quality_assurance"] = [
            f"{q.get('relation')}:{q.get('name')}" for q in qa if isinstance(q, dict)
        ]
    for key, value in doc.items():
        if key in (
            "provenance",
            "skills",
            "occupations",
            "issuer",
            "accredited_by",
            "outcomes",
            "quality_assurance",
            "advanced_standing_for",
            "advanced_standing_from",
        ):
            continue
        if isinstance(value, dict):
            for sub, inner in value.items():
                if isinstance(inner, (str, int, float, bool)):
                    out[f"{key}_{sub}"] = inner
        elif isinstance(value, list):
            if all(isinstance(v, str) for v in value):
                out[key] = list(value)  # each format writes a list its own way
        else:
            out[key] = value
    return out
