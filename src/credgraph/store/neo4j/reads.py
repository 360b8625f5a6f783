"""Read queries: lookups, keyset pages of credentials, search, and the comparison primitives.

Each function takes `read(query, **params) -> records`, one auto-committed read per call.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from credgraph.errors import InvalidQuery
from credgraph.model import codec
from credgraph.model.crawl import CrawlRun, Source
from credgraph.model.ids import is_ctid
from credgraph.model.records import Issuer, Occupation, Skill
from credgraph.model.values import NodeKind
from credgraph.model.views import (
    CredentialChange,
    CredentialView,
    FieldChange,
    Page,
    RequiredSkill,
    SearchHit,
    SimilarCredential,
    SkillCoverage,
)
from credgraph.store.neo4j.common import VERSION, label, parse_time
from credgraph.store.neo4j.schema import FULLTEXT_INDEX
from credgraph.store.neo4j.text import lucene_query
from credgraph.store.neo4j.views import VIEW_COLUMNS, VIEWS_BY_ID, build_view
from credgraph.store.query import (
    NULLABLE_SORTS,
    SEARCHABLE,
    CredentialFilter,
    CredentialSort,
    Cursor,
    SortField,
    check_filter,
    check_page_size,
)

Read = Callable[..., Awaitable[list[Any]]]
N = TypeVar("N", Issuer, Skill, Occupation)

_SORT_PROPERTY: dict[SortField, str] = {
    SortField.NAME: "name_key",
    SortField.COST: "cost_amount",
    SortField.HOURS: "duration_hours",
    SortField.TRANSPARENCY: "transparency",
    SortField.SKILL_COUNT: "skill_count",
    SortField.OCCUPATION_COUNT: "occupation_count",
    SortField.LAST_SEEN: "last_seen",
}
_SKILL_LINK = "TEACHES|ASSESSES"


async def get_credentials(read: Read, ids: Sequence[str]) -> list[CredentialView]:
    unique = [i for i in dict.fromkeys(ids) if isinstance(i, str)]
    if not unique:
        return []
    views = {row["id"]: build_view(row) for row in await read(VIEWS_BY_ID, ids=unique)}
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
    """By id (CTIDs case-insensitive), then by CTID, then by source URL (lowest id wins)."""
    params = []
    for key in dict.fromkeys(k for k in keys if isinstance(k, str)):
        ctid = key.strip().lower() if is_ctid(key) else None
        params.append({"key": key, "ids": [key] + ([ctid] if ctid else []), "ctid": ctid})
    if not params:
        return {}
    rows = await read(
        "UNWIND $keys AS k RETURN k.key AS key, coalesce("
        " COLLECT { MATCH (c:Credential) WHERE c.id IN k.ids RETURN c.id ORDER BY c.id LIMIT 1 }[0],"
        " COLLECT { MATCH (c:Credential {ctid: k.ctid}) RETURN c.id LIMIT 1 }[0],"
        " COLLECT { MATCH (c:Credential {url: k.key}) RETURN c.id ORDER BY c.id LIMIT 1 }[0]"
        ") AS id",
        keys=params,
    )
    return {r["key"]: r["id"] for r in rows if r["id"] is not None}


# -- keyset pages ------------------------------------------------------------------------------


def _where(f: CredentialFilter, params: dict[str, Any]) -> tuple[str, list[str]] | None:
    """The opening clause binding `c` and the filter conditions; None when nothing can match."""
    conditions: list[str] = []
    opening = "MATCH (c:Credential)"
    if f.text is not None and f.text.strip():
        query = lucene_query(f.text)
        if query is None:
            return None
        params["fulltext_index"] = FULLTEXT_INDEX[NodeKind.CREDENTIAL]
        params["fulltext"] = query
        opening = "CALL db.index.fulltext.queryNodes($fulltext_index, $fulltext) YIELD node AS c"
    if f.issuer is not None:
        params["issuer"] = f.issuer
        conditions.append("c.issuer_id = $issuer")
    if f.types:
        params["types"] = [t.value for t in f.types]
        conditions.append("c.type IN $types")
    if f.skills:
        params["skills"] = list(dict.fromkeys(f.skills))
        conditions.append(
            f"ALL(sid IN $skills WHERE EXISTS {{ (c)-[:{_SKILL_LINK}]->(:Skill {{id: sid}}) }})"
        )
    if f.occupations:
        params["occupations"] = list(dict.fromkeys(f.occupations))
        conditions.append(
            "ALL(oid IN $occupations WHERE EXISTS "
            "{ (c)-[:PREPARES_FOR]->(:Occupation {id: oid}) })"
        )
    if f.max_cost is not None:
        params["max_cost"] = f.max_cost
        conditions.append("c.cost_amount <= $max_cost")
    if f.max_hours is not None:
        params["max_hours"] = f.max_hours
        conditions.append("c.duration_hours <= $max_hours")
    if f.min_transparency is not None:
        params["min_transparency"] = f.min_transparency
        conditions.append("c.transparency >= $min_transparency")
    if f.exclude_stale:
        conditions.append("c.stale = false")
    return opening, conditions


def _keyset(prop: str, nullable: bool, descending: bool, cursor: Cursor, params: dict[str, Any]) -> str:
    """Rows strictly after `cursor` in the order (value, nulls last; then id), both directions."""
    after = "<" if descending else ">"
    params["cursor_id"] = cursor.id
    if cursor.value is None:
        return f"(c.{prop} IS NULL AND c.id {after} $cursor_id)"
    params["cursor_value"] = cursor.value
    condition = (
        f"c.{prop} {after} $cursor_value "
        f"OR (c.{prop} = $cursor_value AND c.id {after} $cursor_id)"
    )
    if nullable:
        condition += f" OR c.{prop} IS NULL"
    return f"({condition})"


async def list_credentials(
    read: Read,
    filter: CredentialFilter | None,
    sort: CredentialSort | None,
    first: int,
    after: str | None,
) -> Page[CredentialView]:
    check_page_size(first)
    f = check_filter(filter or CredentialFilter())
    sort = sort or CredentialSort()
    if not isinstance(sort.field, SortField):
        raise InvalidQuery(f"sort field {sort.field!r} is not one of {[s.value for s in SortField]}")
    descending = bool(sort.descending)
    cursor = Cursor.decode(after, sort=sort.field.value, descending=descending) if after else None
    params: dict[str, Any] = {}
    built = _where(f, params)
    if built is None:
        return Page((), (), None, False, 0)
    opening, conditions = built
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    [count] = await read(f"{opening}{where} RETURN count(c) AS n", **params)

    prop = _SORT_PROPERTY[sort.field]
    nullable = sort.field in NULLABLE_SORTS
    if cursor is not None:
        conditions = [*conditions, _keyset(prop, nullable, descending, cursor, params)]
        where = f" WHERE {' AND '.join(conditions)}"
    direction = "DESC" if descending else "ASC"
    order = f"c.{prop} {direction}, c.id {direction}"
    if nullable:
        order = f"c.{prop} IS NULL, {order}"
    rows = await read(
        f"{opening}{where} WITH c ORDER BY {order} LIMIT $limit "
        "WITH collect(c) AS page UNWIND range(0, size(page) - 1) AS rank "
        f"WITH page[rank] AS c, rank RETURN rank, c.{prop} AS sort_value, {VIEW_COLUMNS}",
        limit=first + 1,
        **params,
    )
    rows.sort(key=lambda r: r["rank"])
    page = rows[:first]
    cursors = tuple(
        Cursor(sort.field.value, descending, r["sort_value"], r["id"]).encode() for r in page
    )
    return Page(
        items=tuple(build_view(r) for r in page),
        cursors=cursors,
        end_cursor=cursors[-1] if cursors else None,
        has_next_page=len(rows) > first,
        total_count=count["n"],
    )


# -- search and comparison primitives --------------------------------------------------------


async def search(read: Read, text: str, kinds: Sequence[NodeKind] | None, limit: int) -> list[SearchHit]:
    query = lucene_query(text if isinstance(text, str) else None)
    wanted = [k for k in SEARCHABLE if kinds is None or k in kinds]
    if query is None or not wanted or limit <= 0:
        return []
    branches = [
        f"CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX[kind]}', $q, {{limit: $limit}}) "
        f"YIELD node, score RETURN '{kind.value}' AS kind, node.id AS id, node.name AS name, "
        "score"
        for kind in wanted
    ]
    rows = await read(" UNION ALL ".join(branches), q=query, limit=limit)
    order = {kind.value: i for i, kind in enumerate(SEARCHABLE)}
    rows.sort(key=lambda r: (-r["score"], order[r["kind"]], r["id"]))
    return [SearchHit(NodeKind(r["kind"]), r["id"], r["name"], float(r["score"])) for r in rows[:limit]]


async def skill_sets(read: Read, ids: Sequence[str]) -> dict[str, frozenset[str]]:
    unique = list(dict.fromkeys(ids))
    rows = await read(
        "UNWIND $ids AS id MATCH (c:Credential {id: id}) "
        f"RETURN c.id AS id, COLLECT {{ MATCH (c)-[:{_SKILL_LINK}]->(s:Skill) RETURN s.id }} AS skills",
        ids=unique,
    )
    return {r["id"]: frozenset(r["skills"]) for r in rows}


async def similar(read: Read, id: str, k: int) -> list[SimilarCredential]:
    if k <= 0:
        return []
    rows = await read(
        f"MATCH (c:Credential {{id: $id}})-[:{_SKILL_LINK}]->(s:Skill) "
        "WITH c, collect(DISTINCT s) AS mine "
        f"UNWIND mine AS s MATCH (s)<-[:{_SKILL_LINK}]-(o:Credential) WHERE o <> c "
        "WITH o, size(mine) AS n, collect(DISTINCT s.id) AS shared "
        "WITH o, shared, toFloat(size(shared)) / (n + o.skill_count - size(shared)) AS score "
        "RETURN o.id AS id, score, shared ORDER BY score DESC, id ASC LIMIT $k",
        id=id,
        k=k,
    )
    return [SimilarCredential(r["id"], r["score"], tuple(sorted(r["shared"]))) for r in rows]


async def occupation_required_skills(read: Read, occupation_id: str) -> list[RequiredSkill]:
    rows = await read(
        "MATCH (:Occupation {id: $id})-[r:REQUIRES_SKILL]->(s:Skill) "
        "RETURN s.id AS id, r.importance AS importance, r.relation AS relation "
        "ORDER BY importance IS NULL, importance DESC, id ASC",
        id=occupation_id,
    )
    return [RequiredSkill(r["id"], r["importance"], r["relation"]) for r in rows]


async def credentials_covering(read: Read, skill_ids: Sequence[str], limit: int) -> list[SkillCoverage]:
    if limit <= 0 or not skill_ids:
        return []
    rows = await read(
        f"UNWIND $ids AS sid MATCH (:Skill {{id: sid}})<-[:{_SKILL_LINK}]-(c:Credential) "
        "WITH c, collect(DISTINCT sid) AS covered "
        "RETURN c.id AS id, covered, c.transparency AS transparency, c.cost_amount AS cost "
        "ORDER BY size(covered) DESC, transparency DESC, cost IS NULL, cost ASC, id ASC "
        "LIMIT $limit",
        ids=list(dict.fromkeys(skill_ids)),
        limit=limit,
    )
    return [
        SkillCoverage(r["id"], frozenset(r["covered"]), float(r["transparency"]), r["cost"])
        for r in rows
    ]


# -- history, sources, crawl runs ------------------------------------------------------------


async def credential_history(read: Read, id: str) -> list[CredentialChange]:
    rows = await read(
        f"MATCH (v:{VERSION} {{credential_id: $id}}) "
        "RETURN v.changed_at AS at, v.changes AS changes ORDER BY v.seq",
        id=id,
    )
    return [
        CredentialChange(
            id, parse_time(r["at"]), tuple(FieldChange(*c) for c in json.loads(r["changes"]))
        )
        for r in rows
    ]


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
