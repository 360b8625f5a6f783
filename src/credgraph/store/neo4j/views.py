"""Credential views: one Cypher projection for many credentials, and the records rebuilt from it.

Whole views decode the documents of the credential and its neighbours; a read under a
`Projection` returns node properties instead (`projected_columns`, `build_projected_view`).

A view's links are the record's, in its order (one per skill/occupation id), carrying the
current node data; `requires` lists the record's targets that are stored credentials (kept in
`linked_ids`), `part_of` the stored credentials this one is part of (its own statements first),
`has_part` every stored credential linked as part of this one, by id.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from typing import Any, TypeVar

from credgraph.model import codec
from credgraph.model.records import Credential, Issuer, Occupation, Provenance, Skill
from credgraph.model.transparency import transparency_of
from credgraph.model.views import CredentialView, Projection
from credgraph.store.neo4j.common import parse_time
from credgraph.store.projected import (
    CREDENTIAL_FIELDS,
    ISSUER_FIELDS,
    NODE_FIELDS,
    in_record_order,
    part_of_in_order,
    projected_view,
    read_fields,
)

# Columns of a RETURN for a query that has bound `c` to a Credential node.
VIEW_COLUMNS = """
       c.id AS id, c.doc AS doc, c.provenance AS provenance, c.first_seen AS first_seen,
       c.last_seen AS last_seen, coalesce(c.stale, false) AS stale,
       coalesce(c.miss_count, 0) AS misses,
       COLLECT { MATCH (src:Source {id: c.source_id}) RETURN src.last_full_run }[0] AS full_run,
       [(c)-[:ISSUED_BY]->(i:Issuer) | i.doc] AS issuer,
       [(c)-[:TEACHES|ASSESSES]->(s:Skill) | [s.id, s.doc]] AS skills,
       [(c)-[:PREPARES_FOR]->(o:Occupation) | [o.id, o.doc]] AS occupations,
       [(c)-[:ACCREDITED_BY]->(a:Issuer) | [a.id, a.doc]] AS accreditors,
       COLLECT { UNWIND coalesce(c.linked_ids, []) AS lid MATCH (l:Credential {id: lid})
                 RETURN l.id } AS linked,
       [(h:Credential)-[:PART_OF]->(c) | h.id] AS has_part,
       [(c)-[:PART_OF]->(p:Credential) | p.id] AS part_of
"""

T = TypeVar("T")

VIEWS_BY_ID = "UNWIND $ids AS id MATCH (c:Credential {id: id}) RETURN" + VIEW_COLUMNS


def _present(record_order: tuple[str, ...], linked: list[str]) -> tuple[str, ...]:
    """The record's links, in its order, to credentials that are stored."""
    have = set(linked)
    return tuple(i for i in dict.fromkeys(record_order) if i in have)


def _first_per_id(links: tuple[T, ...], key: Callable[[T], str]) -> list[T]:
    kept: dict[str, T] = {}
    for link in links:
        kept.setdefault(key(link), link)
    return list(kept.values())


def provenance_list(raw: str | None) -> list[dict[str, Any]]:
    return list(json.loads(raw)) if raw else []


def build_view(row: Any) -> CredentialView:
    credential = codec.from_json(Credential, json.loads(row["doc"]))
    issuer = codec.from_json(Issuer, json.loads(row["issuer"][0])) if row["issuer"] else None
    skills = {sid: doc for sid, doc in row["skills"]}
    occupations = {oid: doc for oid, doc in row["occupations"]}
    accreditors = {aid: doc for aid, doc in row["accreditors"]}
    skill_links = tuple(
        replace(link, skill=codec.from_json(Skill, json.loads(skills[link.skill.id])))
        for link in _first_per_id(credential.skills, lambda s: s.skill.id)
        if link.skill.id in skills
    )
    occupation_links = tuple(
        replace(
            link,
            occupation=codec.from_json(Occupation, json.loads(occupations[link.occupation.id])),
        )
        for link in _first_per_id(credential.occupations, lambda o: o.occupation.id)
        if link.occupation.id in occupations
    )
    accredited_by = tuple(
        codec.from_json(Issuer, json.loads(accreditors[a.id]))
        for a in credential.accredited_by
        if a.id in accreditors
    )
    provenance = tuple(
        sorted(
            (codec.from_json(Provenance, p) for p in provenance_list(row["provenance"])),
            key=lambda p: (p.source_id, p.url),
        )
    )
    last_seen = row["last_seen"]
    if row["misses"] == 0 and row["full_run"] and row["full_run"] > last_seen:
        last_seen = row["full_run"]  # seen, unchanged, in its source's latest full run
    return CredentialView(
        credential=credential,
        issuer=issuer,
        skills=skill_links,
        occupations=occupation_links,
        accredited_by=accredited_by,
        part_of=part_of_in_order(credential.part_of, row["part_of"]),
        has_part=tuple(sorted(set(row["has_part"]))),
        requires=_present(credential.requires, row["linked"]),
        transparency=transparency_of(credential),
        provenance=provenance,
        first_seen=parse_time(row["first_seen"]),
        last_seen=parse_time(last_seen),
        stale=bool(row["stale"]),
    )


# -- projections: properties instead of documents ----------------------------------------------


# Lists, not maps: the driver decodes every key of every map of every row, and a page
# carries some 550 of them.
def _list(var: str, fields: tuple[str, ...], chosen: frozenset[str] | None) -> str:
    """The node's `fields` as a list, null for those the projection does not read."""
    read = read_fields(fields, chosen)
    return (
        "["
        + ", ".join(f"{var}.{f}" if r else "null" for f, r in zip(fields, read, strict=True))
        + "]"
    )


@lru_cache(maxsize=64)  # a handful of projections exist; the statement text is built once
def projected_columns(projection: Projection) -> tuple[tuple[str, str], ...]:
    """(name, expression) pairs, with `c` bound, carrying what `projection` needs as
    properties, each node a list of its fields (`credgraph.store.projected`'s orders)."""
    columns = [("flat", _list("c", CREDENTIAL_FIELDS, projection.credential_fields))]
    if projection.issuer:
        issuer = _list("i", ISSUER_FIELDS, projection.issuer_fields)
        columns.append(("issuer", f"[(c)-[:ISSUED_BY]->(i:Issuer) | {issuer}]"))
    if projection.skills:
        columns.append(
            (
                "skills",
                f"[(c)-[:TEACHES|ASSESSES]->(s:Skill) | "
                f"{_list('s', NODE_FIELDS, projection.skill_fields)}]",
            )
        )
        columns.append(("skill_ids", "c.skill_ids"))
    if projection.occupations:
        columns.append(
            (
                "occupations",
                f"[(c)-[:PREPARES_FOR]->(o:Occupation) | "
                f"{_list('o', NODE_FIELDS, projection.occupation_fields)}]",
            )
        )
        columns.append(("occupation_ids", "c.occupation_ids"))
    if projection.skills or projection.occupations:
        # A node written before the link order was kept has only its document to order by.
        columns.append(
            ("doc", "CASE WHEN c.skill_ids IS NULL OR c.occupation_ids IS NULL THEN c.doc END")
        )
    return tuple(columns)


@lru_cache(maxsize=256)
def projected_list(projection: Projection, *first: str) -> str:
    """One list per credential: the expressions `first`, then what `projection` needs."""
    return "[" + ", ".join([*first, *(e for _, e in projected_columns(projection))]) + "]"


@lru_cache(maxsize=64)
def column_names(projection: Projection) -> tuple[str, ...]:
    return tuple(name for name, _ in projected_columns(projection))


def projected_row(values: list[Any], projection: Projection, skip: int) -> dict[str, Any]:
    """A `projected_list` (after its `skip` first values) as a row of named columns."""
    return dict(zip(column_names(projection), values[skip:], strict=True))


def _link_order(row: Any, column: str, doc_key: str, id_key: str) -> list[str]:
    if row[column] is not None:
        return list(row[column])
    links = json.loads(row["doc"]).get(doc_key) or []
    return [link[id_key]["id"] for link in links]


def build_projected_view(row: Any, projection: Projection) -> CredentialView:
    issuers = row["issuer"] if projection.issuer else []
    skills = (
        in_record_order(_link_order(row, "skill_ids", "skills", "skill"), row["skills"])
        if projection.skills
        else []
    )
    occupations = (
        in_record_order(
            _link_order(row, "occupation_ids", "occupations", "occupation"), row["occupations"]
        )
        if projection.occupations
        else []
    )
    return projected_view(row["flat"], issuers[0] if issuers else None, skills, occupations)
