"""Equivalences in Neo4j: SAME_AS relationships whose `owner` property names the crosswalk
that states them (a relationship without `owner` belongs to the node it starts at, see
links.py), or `computed <method>` with `match`, `method` and `score` properties for a
computed close match.

Labels come from our enums only; ids, owners and codes are parameters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from neo4j import AsyncManagedTransaction

from credgraph.model.records import Equivalence
from credgraph.model.values import NodeKind
from credgraph.model.views import CredentialView, Projection, UpsertReport
from credgraph.store.equivalence import (
    CLOSE_MATCH,
    COMPUTED,
    CloseMatchEdge,
    Key,
    RelatedConcept,
    best_related,
    computed_owner,
    ends_by_kind,
    keep_better,
    related_from_edge,
    storable,
    storable_close_matches,
)
from credgraph.store.neo4j.common import chunks, label
from credgraph.store.neo4j.equated import EQUATED, mark
from credgraph.store.neo4j.links import present_ids, run
from credgraph.store.neo4j.reads import SKILL_LINK, Read
from credgraph.store.neo4j.views import (
    VIEWS_BY_ID,
    build_projected_view,
    build_view,
    projected_list,
    projected_row,
)

KINDS = (NodeKind.SKILL, NodeKind.OCCUPATION)
# A stated relationship: no owner (a skill's own same_as) or an owner no computation has.
_STATED = "(r.owner IS NULL OR NOT r.owner STARTS WITH $computed)"


async def replace(
    tx: AsyncManagedTransaction, owner: str, pairs: Sequence[Equivalence]
) -> UpsertReport:
    known = {kind: await present_ids(tx, kind, ids) for kind, ids in ends_by_kind(pairs).items()}
    wanted, rejected = storable(pairs, known)
    current: set[Key] = set()
    for kind in KINDS:
        rows = await run(
            tx,
            f"MATCH (a:{label(kind)})-[r:SAME_AS]->(b:{label(kind)}) WHERE r.owner = $owner "
            "RETURN a.id AS a, b.id AS b",
            owner=owner,
        )
        current.update((kind, row["a"], row["b"]) for row in rows)
    gone = sorted(current - wanted.keys())
    new = [key for key in wanted if key not in current]
    created = 0
    for kind in KINDS:
        node = label(kind)
        mine = [[a, b] for (k, a, b) in gone if k is kind]
        for part in chunks(mine):
            result = await tx.run(
                f"UNWIND $rows AS row MATCH (a:{node} {{id: row[0]}})-[r:SAME_AS]->"
                f"(b:{node} {{id: row[1]}}) WHERE r.owner = $owner DELETE r",
                {"rows": list(part), "owner": owner},
            )
            await result.consume()
        adding = [[a, b] for (k, a, b) in new if k is kind]
        for part in chunks(adding):
            # A crosswalk takes over what a computation found, in either direction.
            result = await tx.run(
                f"UNWIND $rows AS row MATCH (a:{node} {{id: row[0]}})-[r:SAME_AS]-"
                f"(b:{node} {{id: row[1]}}) WHERE r.owner STARTS WITH $computed DELETE r",
                {"rows": list(part), "computed": COMPUTED},
            )
            await result.consume()
            # MERGE: a pair an edge already joins (a skill's own same_as) adds nothing.
            result = await tx.run(
                f"UNWIND $rows AS row MATCH (a:{node} {{id: row[0]}}) "
                f"MATCH (b:{node} {{id: row[1]}}) "
                f"MERGE (a)-[r:SAME_AS]->(b) ON CREATE SET r.owner = $owner {mark('a', 'b')}",
                {"rows": list(part), "owner": owner},
            )
            summary = await result.consume()
            created += summary.counters.relationships_created
    return UpsertReport(
        created=created,
        unchanged=len(wanted) - created,
        rejected=tuple(rejected),
        deleted=len(gone),
    )


async def equivalents_many(read: Read, ids: Sequence[str]) -> dict[str, list[str]]:
    found: dict[str, set[str]] = {i: set() for i in ids}
    for part in chunks(list(found)):
        rows = await read(
            _each_kind(
                f"UNWIND $ids AS id MATCH (n:NODE {{id: id}})-[r:SAME_AS]-(m:NODE) WHERE {_STATED}",
                "[id, m.id]",
            ),
            ids=list(part),
            computed=COMPUTED,
        )
        for row in rows:
            for asked, other in row["rows"]:
                found[asked].add(other)
    return {i: sorted(others) for i, others in found.items()}


def _each_kind(match: str, row: str) -> str:
    """One statement (one round trip, where a statement per kind was one each) that runs
    `match` for each of `KINDS`, NODE standing for its label (so each seeks its own id
    index), and answers a record per kind that found any: `rows`, `row` collected, in
    `KINDS`' order."""
    parts = [
        f"{match.replace('NODE', label(kind))} RETURN {n} AS kind, collect({row}) AS rows"
        for n, kind in enumerate(KINDS)
    ]
    return "CALL { " + " UNION ALL ".join(parts) + " } RETURN kind, rows ORDER BY kind"


async def pairs(read: Read) -> list[tuple[NodeKind, str, str]]:
    found: list[tuple[NodeKind, str, str]] = []
    for kind in KINDS:
        node = label(kind)
        rows = await read(
            f"MATCH (a:{node})-[r:SAME_AS]->(b:{node}) WHERE {_STATED} "
            "RETURN a.id AS a, b.id AS b ORDER BY a, b",
            computed=COMPUTED,
        )
        found.extend((kind, row["a"], row["b"]) for row in rows)
    return found


async def occupation_ids_by_code(
    read: Read, framework: str, codes: Sequence[str]
) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in chunks(list(dict.fromkeys(codes))):
        rows = await read(
            f"UNWIND $codes AS code MATCH (o:{label(NodeKind.OCCUPATION)} {{code: code}}) "
            "WHERE o.framework = $framework RETURN code, o.id AS id ORDER BY id",
            codes=list(part),
            framework=framework,
        )
        for row in rows:
            found.setdefault(row["code"], []).append(row["id"])
    return found


async def replace_close_matches(
    tx: AsyncManagedTransaction,
    method: str,
    matches: Sequence[CloseMatchEdge],
    scope: Sequence[str] | None,
) -> UpsertReport:
    """The relationships `method` computed (all, or those touching a `scope` id) become
    exactly `matches`, minus the pairs a stated relationship joins."""
    owner = computed_owner(method)
    skill = label(NodeKind.SKILL)
    ends = {i for m in matches for i in (m.a, m.b)}
    wanted, rejected = storable_close_matches(matches, await present_ids(tx, NodeKind.SKILL, ends))
    stated: set[tuple[str, str]] = set()
    for part in chunks([list(key) for key in wanted]):
        rows = await run(
            tx,
            f"UNWIND $rows AS row MATCH (a:{skill} {{id: row[0]}})-[r:SAME_AS]-"
            f"(b:{skill} {{id: row[1]}}) WHERE {_STATED} RETURN DISTINCT row[0] AS a, row[1] AS b",
            rows=list(part),
            computed=COMPUTED,
        )
        stated.update((row["a"], row["b"]) for row in rows)
    wanted = {key: m for key, m in wanted.items() if key not in stated}
    where = "" if scope is None else " AND (a.id IN $scope OR b.id IN $scope)"
    rows = await run(
        tx,
        f"MATCH (a:{skill})-[r:SAME_AS]->(b:{skill}) WHERE r.owner = $owner{where} "
        "RETURN a.id AS a, b.id AS b, r.score AS score",
        owner=owner,
        scope=list(dict.fromkeys(scope or ())),
    )
    current: dict[tuple[str, str], Any] = {(row["a"], row["b"]): row["score"] for row in rows}
    gone = [[a, b] for (a, b) in current if (a, b) not in wanted]
    for part in chunks(gone):
        result = await tx.run(
            f"UNWIND $rows AS row MATCH (:{skill} {{id: row[0]}})-[r:SAME_AS]->"
            f"(:{skill} {{id: row[1]}}) WHERE r.owner = $owner DELETE r",
            {"rows": list(part), "owner": owner},
        )
        await result.consume()
    changed = [
        {"a": a, "b": b, "method": m.method, "score": m.score}
        for (a, b), m in wanted.items()
        if current.get((a, b)) != m.score
    ]
    created = 0
    for rows_part in chunks(changed):
        result = await tx.run(
            f"UNWIND $rows AS row MATCH (a:{skill} {{id: row.a}}) MATCH (b:{skill} {{id: row.b}}) "
            f"MERGE (a)-[r:SAME_AS]->(b) ON CREATE SET r.owner = $owner {mark('a', 'b')} "
            "WITH r, row WHERE r.owner = $owner "
            "SET r.match = $match, r.method = row.method, r.score = row.score",
            {"rows": list(rows_part), "owner": owner, "match": CLOSE_MATCH},
        )
        summary = await result.consume()
        created += summary.counters.relationships_created
    updated = len([c for c in changed if (c["a"], c["b"]) in current])
    return UpsertReport(
        created=created,
        updated=updated,
        unchanged=len(wanted) - len(changed),
        rejected=tuple(rejected),
        deleted=len(gone),
    )


async def related_many(read: Read, ids: Sequence[str]) -> dict[str, list[RelatedConcept]]:
    found: dict[str, dict[str, RelatedConcept]] = {i: {} for i in ids if isinstance(i, str)}
    for part in chunks(list(found)):
        rows = await read(
            _each_kind(
                "UNWIND $ids AS id MATCH (n:NODE {id: id})-[r:SAME_AS]-(m:NODE) WHERE m.id <> id",
                "[id, m.id, r.owner, r.method, r.score]",
            ),
            ids=list(part),
        )
        for row in rows:
            for asked, other, owner, method, score in row["rows"]:
                props = {"method": method, "score": score}
                keep_better(found[asked], related_from_edge(other, owner, props))
    return best_related(found)


# The SAME_AS edges at each of a bound credential `c`'s skills, as lists. Only skills labelled
# `Equated` are expanded: most skills have no SAME_AS, and finding that reads every
# relationship they have (see equated.py).
_RELATED_AT_SKILLS = (
    f"COLLECT {{ MATCH (c)-[:{SKILL_LINK}]->(s:Skill:{EQUATED})-[r:SAME_AS]-(m:Skill) "
    "WHERE m.id <> s.id RETURN [s.id, m.id, r.owner, r.method, r.score] }"
)


def _related(rows: list[list[Any]], skills: set[str]) -> dict[str, list[RelatedConcept]]:
    found: dict[str, dict[str, RelatedConcept]] = {s: {} for s in sorted(skills)}
    for skill, other, owner, method, score in rows:
        props = {"method": method, "score": score}
        keep_better(found[skill], related_from_edge(other, owner, props))
    return best_related(found)


async def compared_credentials(
    read: Read, ids: Sequence[str], projection: Projection | None
) -> tuple[list[CredentialView], dict[str, list[RelatedConcept]]]:
    """The port's `compared_credentials` in one statement: the views (whole, or projected
    with their skills) and the SAME_AS edges at their skills, where the port's default
    reads the views and then the equivalences (two round trips per comparison). Projected,
    the answer is one row of lists (the driver reads one record, not one per credential)."""
    unique = [i for i in dict.fromkeys(ids) if isinstance(i, str)]
    if not unique:
        return [], {}
    related = f"{_RELATED_AT_SKILLS} AS related"
    views: dict[str, CredentialView] = {}
    edges: list[list[Any]] = []
    if projection is None:
        for row in await read(f"{VIEWS_BY_ID}, {related}", ids=unique):
            views[row["id"]] = build_view(row)
            edges.extend(row["related"])
    else:
        projection = dataclasses.replace(projection, skills=True)
        [row] = await read(
            "UNWIND $ids AS id MATCH (c:Credential {id: id}) "
            f"RETURN collect({projected_list(projection, _RELATED_AT_SKILLS)}) AS rows",
            ids=unique,
        )
        for values in row["rows"]:
            view = build_projected_view(projected_row(values, projection, 1), projection)
            views[view.id] = view
            edges.extend(values[0])
    ordered = [views[i] for i in unique if i in views]
    skills = {link.skill.id for view in ordered for link in view.skills}
    # An edge at a skill the view leaves out (none today) would have no key to go under.
    return ordered, _related([e for e in edges if e[0] in skills], skills)


async def skill_sets_related(
    read: Read, ids: Sequence[str]
) -> tuple[dict[str, frozenset[str]], dict[str, list[RelatedConcept]]]:
    """The port's `skill_sets_related` in one statement: each credential's skills with the
    SAME_AS edges at each of them, where the port's default reads skill sets, then the
    equivalences kind by kind (three round trips per comparison)."""
    rows = await read(
        "UNWIND $ids AS id MATCH (c:Credential {id: id}) "
        "RETURN c.id AS id, "
        f"COLLECT {{ MATCH (c)-[:{SKILL_LINK}]->(s:Skill) RETURN DISTINCT s.id }} AS skills, "
        f"{_RELATED_AT_SKILLS} AS related",
        ids=list(dict.fromkeys(ids)),
    )
    sets = {r["id"]: frozenset(r["skills"]) for r in rows}
    skills = {s for found in sets.values() for s in found}
    return sets, _related([e for r in rows for e in r["related"]], skills)
