"""Keyset pages of issuers, skills and occupations, in name order (name_key, then id).

Without text a page reads the kind's `name_key` index in order from the cursor on; with text
it starts from the kind's full-text index. Property filters that compare by a key (country
ignoring case, framework ignoring punctuation) first find the stored spellings that match,
then filter with an exact `IN` on them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from credgraph.model import codec
from credgraph.model.ids import framework_key
from credgraph.model.records import Issuer, Occupation, Skill
from credgraph.model.values import NodeKind
from credgraph.model.views import Page
from credgraph.store.counting import DEFAULT_COUNT_BOUND, bounded, limit_for
from credgraph.store.neo4j.common import label
from credgraph.store.neo4j.reads import Read
from credgraph.store.neo4j.schema import FULLTEXT_INDEX
from credgraph.store.neo4j.text import lucene_query
from credgraph.store.query import (
    NAME_SORT,
    Cursor,
    check_page_size,
    country_key,
    matching_values,
    name_cursor,
)

N = TypeVar("N", Issuer, Skill, Occupation)
_PROPERTIES = frozenset({"country", "framework"})


async def _spellings(
    read: Read, kind: NodeKind, prop: str, wanted: str, key: Callable[[str], str]
) -> list[str]:
    assert prop in _PROPERTIES
    [row] = await read(f"MATCH (n:{label(kind)}) RETURN collect(DISTINCT n.{prop}) AS values")
    return matching_values(list(row["values"]), wanted, key)


async def _page(
    read: Read,
    kind: NodeKind,
    cls: type[N],
    text: str | None,
    conditions: list[str],
    params: dict[str, Any],
    first: int,
    after: str | None,
    count_bound: int,
) -> Page[N]:
    check_page_size(first)
    cursor = name_cursor(after)
    if text is not None:
        query = lucene_query(text)
        if query is None:
            return Page((), (), after, False, 0)
        params.update(fulltext_index=FULLTEXT_INDEX[kind], fulltext=query)
        opening = "CALL db.index.fulltext.queryNodes($fulltext_index, $fulltext) YIELD node AS n"
    else:
        opening = f"MATCH (n:{label(kind)})"
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    ranged = [*conditions, "n.name_key IS NOT NULL"]
    if cursor is not None:
        # One range on name_key (so its index is read in order), then the tie on id.
        ranged.append(
            "n.name_key >= $cursor_value AND (n.name_key > $cursor_value OR n.id > $cursor_id)"
        )
        params.update(cursor_value=cursor.value, cursor_id=cursor.id)
    # The count and the page in one statement (a round trip, where they were two), the page
    # as one record of rows. Counted up to the bound: the LIMIT stops the match once passed.
    [found] = await read(
        f"CALL {{ {opening}{where} WITH n LIMIT $count_limit RETURN count(n) AS total }} "
        f"CALL {{ {opening} WHERE {' AND '.join(ranged)} "
        "WITH n ORDER BY n.name_key ASC, n.id ASC LIMIT $limit "
        "RETURN collect([n.id, n.name_key, n.doc]) AS rows } "
        "RETURN total, rows",
        count_limit=limit_for(count_bound),
        limit=first + 1,
        **params,
    )
    total = bounded(found["total"], count_bound)
    rows = [{"id": i, "key": key, "doc": doc} for i, key, doc in found["rows"]]
    page = rows[:first]
    cursors = tuple(Cursor(NAME_SORT, False, r["key"], r["id"]).encode() for r in page)
    return Page(
        items=tuple(codec.from_json(cls, json.loads(r["doc"])) for r in page),
        cursors=cursors,
        end_cursor=cursors[-1] if cursors else after,
        has_next_page=len(rows) > first,
        total_count=total.value,
        total_count_exact=total.exact,
    )


async def list_issuers(
    read: Read,
    text: str | None,
    country: str | None,
    first: int,
    after: str | None,
    count_bound: int = DEFAULT_COUNT_BOUND,
) -> Page[Issuer]:
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if country is not None:
        check_page_size(first)
        params["countries"] = await _spellings(
            read, NodeKind.ISSUER, "country", country, country_key
        )
        conditions.append("n.country IN $countries")
    return await _page(
        read, NodeKind.ISSUER, Issuer, text, conditions, params, first, after, count_bound
    )


async def list_skills(
    read: Read,
    text: str | None,
    framework: str | None,
    first: int,
    after: str | None,
    count_bound: int = DEFAULT_COUNT_BOUND,
) -> Page[Skill]:
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if framework is not None:
        check_page_size(first)
        params["frameworks"] = await _spellings(
            read, NodeKind.SKILL, "framework", framework, framework_key
        )
        conditions.append("n.framework IN $frameworks")
    return await _page(
        read, NodeKind.SKILL, Skill, text, conditions, params, first, after, count_bound
    )


async def list_occupations(
    read: Read,
    text: str | None,
    code_prefix: str | None,
    first: int,
    after: str | None,
    count_bound: int = DEFAULT_COUNT_BOUND,
) -> Page[Occupation]:
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if code_prefix:
        params["code_prefix"] = code_prefix
        conditions.append("n.code STARTS WITH $code_prefix")
    return await _page(
        read, NodeKind.OCCUPATION, Occupation, text, conditions, params, first, after, count_bound
    )
