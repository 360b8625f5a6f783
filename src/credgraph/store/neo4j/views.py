"""Credential views: one Cypher projection for many credentials, and the records rebuilt from it.

A view's links come from the graph as it is now (only to stored nodes: a link to a Ref
placeholder is invisible), its skill/occupation links keep the record's order and method but
carry the current node data.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from credgraph.model import codec
from credgraph.model.records import Credential, Issuer, Occupation, Provenance, Skill
from credgraph.model.transparency import transparency_of
from credgraph.model.views import CredentialView
from credgraph.store.neo4j.common import parse_time

# Columns of a RETURN for a query that has bound `c` to a Credential node.
VIEW_COLUMNS = """
       c.id AS id, c.doc AS doc, c.provenance AS provenance, c.first_seen AS first_seen,
       c.last_seen AS last_seen, coalesce(c.stale, false) AS stale,
       [(c)-[:ISSUED_BY]->(i:Issuer) | i.doc] AS issuer,
       [(c)-[:TEACHES|ASSESSES]->(s:Skill) | [s.id, s.doc]] AS skills,
       [(c)-[:PREPARES_FOR]->(o:Occupation) | [o.id, o.doc]] AS occupations,
       [(c)-[:ACCREDITED_BY]->(a:Issuer) | [a.id, a.doc]] AS accreditors,
       [(c)-[:PART_OF]->(p:Credential) | p.id] AS part_of,
       [(h:Credential)-[:PART_OF]->(c) | h.id] AS has_part,
       [(c)-[:REQUIRES]->(q:Credential) | q.id] AS requires
"""

VIEWS_BY_ID = "UNWIND $ids AS id MATCH (c:Credential {id: id}) RETURN" + VIEW_COLUMNS


def _ordered(record_order: tuple[str, ...], present: list[str]) -> tuple[str, ...]:
    """Ids in the record's order first, then any others (declared by other records) by id."""
    have = set(present)
    first = [i for i in dict.fromkeys(record_order) if i in have]
    rest = sorted(have - set(first))
    return tuple(first + rest)


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
        for link in credential.skills
        if link.skill.id in skills
    )
    occupation_links = tuple(
        replace(link, occupation=codec.from_json(Occupation, json.loads(occupations[link.occupation.id])))
        for link in credential.occupations
        if link.occupation.id in occupations
    )
    accredited_by = tuple(
        codec.from_json(Issuer, json.loads(accreditors[aid]))
        for aid in dict.fromkeys(a.id for a in credential.accredited_by)
        if aid in accreditors
    )
    provenance = tuple(
        codec.from_json(Provenance, p) for p in provenance_list(row["provenance"])
    )
    return CredentialView(
        credential=credential,
        issuer=issuer,
        skills=skill_links,
        occupations=occupation_links,
        accredited_by=accredited_by,
        part_of=_ordered(credential.part_of, row["part_of"]),
        has_part=_ordered(credential.has_part, row["has_part"]),
        requires=_ordered(credential.requires, row["requires"]),
        transparency=transparency_of(credential),
        provenance=provenance,
        first_seen=parse_time(row["first_seen"]),
        last_seen=parse_time(row["last_seen"]),
        stale=bool(row["stale"]),
    )
