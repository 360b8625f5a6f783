"""Read queries: lookups, search, comparison primitives, history, sources and crawl runs.

Each function takes `read(query, **params) -> records`, one auto-committed read per call.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from credgraph.model import codec
from credgraph.model.crawl import CrawlRun, DocumentState, Source
from credgraph.model.ids import key_spellings
from credgraph.model.records import Issuer, Occupation, Skill
from credgraph.model.values import NodeKind
from credgraph.model.views import (
    CredentialChange,
    CredentialView,
    FieldChange,
    Projection,
    RequiredSkill,
    SearchHit,
    SimilarCredential,
    SkillCoverage,
)
from credgraph.store.neo4j.common import DOCUMENT, VERSION, label, parse_time
from credgraph.store.neo4j.schema import FULLTEXT_INDEX
from credgraph.store.neo4j.text import lucene_query
from credgraph.store.neo4j.views import (
    VIEWS_BY_ID,
    build_projected_view,
    build_view,
    projected_list,
    projected_row,
)
from credgraph.store.query import SEARCHABLE

Read = Callable[..., Awaitable[list[Any]]]
N = TypeVar("N", Issuer, Skill, Occupation)

SKILL_LINK = "TEACHES|ASSESSES"


async def get_credentials(
    read: Read, ids: Sequence[str], projection: Projection | None = None
) -> list[CredentialView]:
    unique = [i for i in dict.fromkeys(ids) if isinstance(i, str)]
    if not unique:
        return []
    if projection is None:
        rows = await read(VIEWS_BY_ID, ids=unique)
        views = {row["id"]: build_view(row) for row in rows}
    else:
        # One row of lists: the driver reads one record, not one per credential.
        [row] = await read(
            "UNWIND $ids AS id MATCH (c:Credential {id: id}) "
            f"RETURN collect({projected_list(projection)}) AS rows",
            ids=unique,
        )
        built = (
            build_projected_view(projected_row(v, projection, 0), projection) for v in row["rows"]
        )
        views = {view.id: view for view in built}
    return [views[i] for i in ids if i in views]


async def get_nodes(read: Read, kind: NodeKind, cls: type[N], ids: Sequence[str]) -> list[N]:
    unique = [i for i in dict.fromkeys(ids) if isinstance(i, str)]
    if not unique:
        return []
    rows = await read(
        f"UNWIND $ids AS id MATCH (n:{label(kind)} {{id: id}}) RETURN n.id AS id, n.doc AS doc",
        ids=unique,
    )
    found = {r["id"]: codec.from_json(cls, json.loads(r["doc"])) for r in rows}
    return [found[i] for i in ids if i in found]


async def resolve_credential_ids(read: Read, keys: Sequence[str]) -> dict[str, str]:
    """Each key and its variants (lower-case CTID, normalised URI) matched against ids, then
    CTIDs, then source URLs."""
    params = []
    for key in dict.fromkeys(k for k in keys if isinstance(k, str) and k.strip()):
        params.append({"key": key, "variants": key_spellings(key)})
    if not params:
        return {}
    rows = await read(
        "UNWIND $keys AS k RETURN k.key AS key, coalesce("
        " COLLECT { MATCH (c:Credential) WHERE c.id IN k.variants RETURN c.id ORDER BY c.id }[0],"
        " COLLECT { MATCH (c:Credential) WHERE c.ctid IN k.variants RETURN c.id ORDER BY c.id }[0],"
        " COLLECT { MATCH (c:Credential) WHERE c.url IN k.variants RETURN c.id ORDER BY c.id }[0]"
        ") AS id",
        keys=params,
    )
    found = {r["key"]: r["id"] for r in rows if r["id"] is not None}
    return {k: found[k] for k in keys if k in found}


# -- search and comparison primitives --------------------------------------------------------


async def search(
    read: Read, text: str, kinds: Sequence[NodeKind] | None, limit: int
) -> list[SearchHit]:
    query = lucene_query(text if isinstance(text, str) else None)
    wanted = [k for k in SEARCHABLE if not kinds or k in kinds]
    if query is None or not wanted or limit <= 0:
        return []
    branches = [
        f"CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX[kind]}', $q, {{limit: $limit}}) "
        f"YIELD node, score RETURN '{kind.value}' AS kind, node.id AS id, node.name AS name, "
        "score"
        for kind in wanted
    ]
    rows = await read(" UNION ALL ".join(branches), q=query, limit=limit)
    rows.sort(key=lambda r: (-r["score"], r["kind"], r["id"]))
    return [
        SearchHit(NodeKind(r["kind"]), r["id"], r["name"], float(r["score"])) for r in rows[:limit]
    ]


async def skill_sets(read: Read, ids: Sequence[str]) -> dict[str, frozenset[str]]:
    unique = list(dict.fromkeys(ids))
    rows = await read(
        "UNWIND $ids AS id MATCH (c:Credential {id: id}) "
        f"RETURN c.id AS id, COLLECT {{ MATCH (c)-[:{SKILL_LINK}]->(s:Skill) RETURN s.id }} AS skills",
        ids=unique,
    )
    return {r["id"]: frozenset(r["skills"]) for r in rows}


async def similar(read: Read, id: str, k: int) -> list[SimilarCredential]:
    if k <= 0:
        return []
    rows = await read(
        f"MATCH (c:Credential {{id: $id}})-[:{SKILL_LINK}]->(s:Skill) "
        "WITH c, collect(DISTINCT s) AS mine "
        f"UNWIND mine AS s MATCH (s)<-[:{SKILL_LINK}]-(o:Credential) WHERE o <> c "
        "WITH o, size(mine) AS n, collect(DISTINCT s.id) AS shared "
        "WITH o, shared, toFloat(size(shared)) / (n + o.skill_count - size(shared)) AS score "
        "RETURN o.id AS id, score, shared ORDER BY score DESC, id ASC LIMIT $k",
        id=id,
        k=k,
    )
    return [SimilarCredential(r["id"], r["score"], tuple(sorted(r["shared"]))) for r in rows]


async def occupation_required_skills_many(
    read: Read, ids: Sequence[str]
) -> dict[str, list[RequiredSkill]]:
    out: dict[str, list[RequiredSkill]] = {i: [] for i in ids if isinstance(i, str)}
    if not out:
        return out
    rows = await read(
        "UNWIND $ids AS oid MATCH (:Occupation {id: oid})-[r:REQUIRES_SKILL]->(s:Skill) "
        "RETURN oid, s.id AS id, r.importance AS importance, r.relation AS relation "
        "ORDER BY oid, importance IS NULL, importance DESC, id ASC",
        ids=list(out),
    )
    for r in rows:
        out[r["oid"]].append(RequiredSkill(r["id"], r["importance"], r["relation"]))
    return out


async def credentials_covering(
    read: Read, skill_ids: Sequence[str], limit: int
) -> list[SkillCoverage]:
    if limit <= 0 or not skill_ids:
        return []
    # One record of lists: the driver reads one record, not one per credential (500 records
    # took some 10 ms more of the client's time than the server's for the statement).
    [row] = await read(
        f"UNWIND $ids AS sid MATCH (:Skill {{id: sid}})<-[:{SKILL_LINK}]-(c:Credential) "
        "WITH c, collect(DISTINCT sid) AS covered "
        "WITH c.id AS id, covered, c.transparency AS transparency, c.cost_amount AS cost "
        "ORDER BY size(covered) DESC, transparency DESC, cost IS NULL, cost ASC, id ASC "
        "LIMIT $limit "
        # ordered by the clause right before it, so the collected rows keep that order
        "RETURN collect([id, covered, transparency, cost]) AS rows",
        ids=list(dict.fromkeys(skill_ids)),
        limit=limit,
    )
    return [
        SkillCoverage(credential_id, frozenset(covered), float(transparency), cost)
        for credential_id, covered, transparency, cost in row["rows"]
    ]


# -- history, sources, crawl runs ------------------------------------------------------------


async def credential_history_many(
    read: Read, ids: Sequence[str]
) -> dict[str, list[CredentialChange]]:
    out: dict[str, list[CredentialChange]] = {i: [] for i in ids if isinstance(i, str)}
    if not out:
        return out
    rows = await read(
        f"UNWIND $ids AS cid MATCH (v:{VERSION} {{credential_id: cid}}) "
        "RETURN cid, v.changed_at AS at, v.changes AS changes ORDER BY cid, v.seq",
        ids=list(out),
    )
    for r in rows:
        out[r["cid"]].append(
            CredentialChange(
                r["cid"],
                parse_time(r["at"]),
                tuple(FieldChange(*c) for c in json.loads(r["changes"])),
            )
        )
    return out


async def list_sources(read: Read) -> list[Source]:
    rows = await read("MATCH (s:Source) RETURN s.doc AS doc ORDER BY s.id")
    return [codec.from_json(Source, json.loads(r["doc"])) for r in rows]


async def crawl_runs(read: Read, source_id: str | None, limit: int) -> list[CrawlRun]:
    if limit <= 0:
        return []
    rows = await read(
        "MATCH (r:CrawlRun) WHERE $source IS NULL OR r.source_id = $source "
        "RETURN r.doc AS doc ORDER BY r.started_at DESC, r.id DESC LIMIT $limit",
        source=source_id,
        limit=limit,
    )
    return [codec.from_json(CrawlRun, json.loads(r["doc"])) for r in rows]


async def document_states(read: Read, source_id: str) -> dict[str, DocumentState]:
    rows = await read(
        f"MATCH (d:{DOCUMENT} {{source_id: $source}}) RETURN d.url AS url, d.doc AS doc "
        "ORDER BY d.url",
        source=source_id,
    )
    return {r["url"]: codec.from_json(DocumentState, json.loads(r["doc"])) for r in rows}
