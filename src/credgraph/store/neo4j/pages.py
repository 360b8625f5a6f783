"""Filtered, sorted keyset pages of credentials.

Unknown values sort last in both directions, so a nullable sort reads the known values first
(an index range in the sort order, stopping after the page) and then the unknown ones by id.
A skill or occupation filter starts from that node and walks its links instead of scanning
every credential; a text filter starts from the full-text index. A type filter on a page in
name or cost order reads each type's entries in that order from its composite (type, name)
or (type, cost) index, stops after the page in each, and merges them (`_ordered`): told
nothing of the LIMIT, the planner would read every credential the filter lets through and
sort them.
"""

from __future__ import annotations

from typing import Any

from credgraph.errors import InvalidQuery
from credgraph.model.values import NodeKind
from credgraph.model.views import CredentialView, Page, Projection
from credgraph.store.counting import DEFAULT_COUNT_BOUND, NOT_COUNTED, bounded, limit_for
from credgraph.store.neo4j.reads import Read, get_credentials
from credgraph.store.neo4j.schema import FULLTEXT_INDEX, TYPE_SORT_INDEXES
from credgraph.store.neo4j.text import lucene_query
from credgraph.store.neo4j.views import build_projected_view, projected_list, projected_row
from credgraph.store.query import (
    NULLABLE_SORTS,
    CredentialFilter,
    CredentialSort,
    Cursor,
    SortField,
    check_filter,
    check_page_size,
)

SORT_PROPERTY: dict[SortField, str] = {
    SortField.NAME: "name_key",
    SortField.COST: "cost_amount",
    SortField.HOURS: "duration_hours",
    SortField.TRANSPARENCY: "transparency",
    SortField.SKILL_COUNT: "skill_count",
    SortField.OCCUPATION_COUNT: "occupation_count",
    SortField.LAST_SEEN: "last_seen",
}
_SKILL_LINK = "TEACHES|ASSESSES"
_ALL_CREDENTIALS = "MATCH (c:Credential)"
_TYPE_IN = "c.type IN $types"


def _skill_exists(param: str) -> str:
    return f"EXISTS {{ (c)-[:{_SKILL_LINK}]->(:Skill {{id: {param}}}) }}"


def _occupation_exists(param: str) -> str:
    return f"EXISTS {{ (c)-[:PREPARES_FOR]->(:Occupation {{id: {param}}}) }}"


def match_filter(f: CredentialFilter, params: dict[str, Any]) -> tuple[str, list[str]] | None:
    """A clause binding `c` (that a WHERE may follow) and the conditions of `f`; None when
    nothing can match."""
    conditions: list[str] = []
    skills = list(dict.fromkeys(f.skills))
    occupations = list(dict.fromkeys(f.occupations))
    if f.text is not None:
        query = lucene_query(f.text)
        if query is None:
            return None
        params["fulltext_index"] = FULLTEXT_INDEX[NodeKind.CREDENTIAL]
        params["fulltext"] = query
        opening = "CALL db.index.fulltext.queryNodes($fulltext_index, $fulltext) YIELD node AS c"
    elif skills:
        params["anchor"] = skills.pop(0)
        opening = f"MATCH (:Skill {{id: $anchor}})<-[:{_SKILL_LINK}]-(c:Credential) WITH DISTINCT c"
    elif occupations:
        params["anchor"] = occupations.pop(0)
        opening = "MATCH (:Occupation {id: $anchor})<-[:PREPARES_FOR]-(c:Credential)"
    else:
        opening = _ALL_CREDENTIALS
    if skills:
        params["skills"] = skills
        conditions.append(f"ALL(sid IN $skills WHERE {_skill_exists('sid')})")
    if occupations:
        params["occupations"] = occupations
        conditions.append(f"ALL(oid IN $occupations WHERE {_occupation_exists('oid')})")
    if f.issuer is not None:
        params["issuer"] = f.issuer
        conditions.append("c.issuer_id = $issuer")
    if f.types:
        params["types"] = list(dict.fromkeys(t.value for t in f.types))  # one page per type
        conditions.append(_TYPE_IN)
    for value, name, condition in (
        (f.max_cost, "max_cost", "c.cost_amount <= $max_cost"),
        (f.max_hours, "max_hours", "c.duration_hours <= $max_hours"),
        (f.min_transparency, "min_transparency", "c.transparency >= $min_transparency"),
    ):
        if value is not None:
            params[name] = float(value)
            conditions.append(condition)
    if f.exclude_stale:
        conditions.append("c.stale = false")
    return opening, conditions


def _where(conditions: list[str]) -> str:
    return f" WHERE {' AND '.join(conditions)}" if conditions else ""


def _ordered(
    opening: str, conditions: list[str], order: str, by_type: tuple[str, str] | None
) -> str:
    """The clauses binding `c` to the first `$limit` matches in `order`. `by_type`, the
    composite index and the direction of a page filtered by type in that index's order,
    reads each type through the index in that order, then merges the types' pages."""
    if by_type is None:
        return f"{opening}{_where(conditions)} WITH c ORDER BY {order} LIMIT $limit"
    index, direction = by_type
    each = [c if c != _TYPE_IN else "c.type = page_type" for c in conditions]
    return (
        f"UNWIND $types AS page_type CALL (page_type) {{ "
        f"{opening} USING INDEX c:Credential({index}){_where(each)} "
        f"WITH c ORDER BY c.type {direction}, {order} LIMIT $limit RETURN c }} "
        f"WITH c ORDER BY {order} LIMIT $limit"
    )


async def list_credentials(
    read: Read,
    filter: CredentialFilter | None,
    sort: CredentialSort | None,
    first: int,
    after: str | None,
    projection: Projection | None = None,
    count_bound: int = DEFAULT_COUNT_BOUND,
) -> Page[CredentialView]:
    check_page_size(first)
    f = check_filter(filter or CredentialFilter())
    sort = sort or CredentialSort()
    if not isinstance(sort.field, SortField):
        raise InvalidQuery(
            f"sort field {sort.field!r} is not one of {[s.value for s in SortField]}"
        )
    descending = bool(sort.descending)
    cursor = Cursor.decode(after, sort=sort.field.value, descending=descending) if after else None
    params: dict[str, Any] = {}
    built = match_filter(f, params)
    if built is None:
        return Page((), (), after, False, 0)
    opening, conditions = built
    where = _where(conditions)
    prop = f"c.{SORT_PROPERTY[sort.field]}"
    direction, compare = ("DESC", "<") if descending else ("ASC", ">")
    want = first + 1
    # A projected page is one statement: the count (when asked for) and the page's rows.
    counted = projection is None or projection.total_count
    total: int | None = None
    params["count_limit"] = limit_for(count_bound)
    # Counted up to the bound: the LIMIT stops the match once it is passed.
    counting = f"{opening}{where} WITH c LIMIT $count_limit RETURN count(c) AS total"
    if projection is None:
        [count] = await read(counting, **params)
        total = count["total"]

    composite = TYPE_SORT_INDEXES.get(SORT_PROPERTY[sort.field])
    by_type = (
        (", ".join(composite), direction)
        if composite and f.types and opening == _ALL_CREDENTIALS
        else None
    )

    async def page_rows(conditions: list[str], value: str, limit: int) -> list[Any]:
        """Up to `limit` rows ordered by `value` (null: by id alone); projected, each row
        carries its credential, and the first statement of a page its count too."""
        nonlocal total
        order = f"{value} {direction}, c.id {direction}" if value != "null" else f"c.id {direction}"
        ordered = _ordered(opening, conditions, order, by_type if value != "null" else None)
        if projection is None:
            return list(
                await read(
                    f"{ordered} RETURN c.id AS id, {value} AS value ORDER BY {order}",
                    limit=limit,
                    **params,
                )
            )
        count_now = counted and total is None
        fields = projected_list(projection, "c.id", value)
        [row] = await read(
            (f"CALL {{ {counting} }} " if count_now else "")
            + f"CALL {{ {ordered} RETURN collect({fields}) AS rows }} "
            f"RETURN {'total' if count_now else 'null AS total'}, rows",
            limit=limit,
            **params,
        )
        if count_now:
            total = row["total"]
        return [{"id": r[0], "value": r[1], "view": r} for r in row["rows"]]

    rows: list[Any] = []
    in_null_phase = cursor is not None and cursor.value is None
    if not in_null_phase:
        # `IS NOT NULL` also lets the planner read the sort property's index in order.
        known = [*conditions, f"{prop} IS NOT NULL"]
        if cursor is not None:
            # One range on the sort property (so its index is read in order), then the tie.
            known.append(
                f"{prop} {compare}= $cursor_value AND "
                f"({prop} {compare} $cursor_value OR c.id {compare} $cursor_id)"
            )
            params.update(cursor_value=cursor.value, cursor_id=cursor.id)
        rows = await page_rows(known, prop, want)
    if sort.field in NULLABLE_SORTS and len(rows) < want:
        unknown = [*conditions, f"{prop} IS NULL"]
        if in_null_phase and cursor is not None:
            unknown.append(f"c.id {compare} $cursor_id")
            params["cursor_id"] = cursor.id
        rows += await page_rows(unknown, "null", want - len(rows))
    page = rows[:first]
    count = NOT_COUNTED if total is None else bounded(total, count_bound)
    if projection is None:
        views = await get_credentials(read, [r["id"] for r in page])
    else:
        views = [
            build_projected_view(projected_row(r["view"], projection, 2), projection) for r in page
        ]
    cursors = tuple(
        Cursor(sort.field.value, descending, r["value"], r["id"]).encode() for r in page
    )
    return Page(
        items=tuple(views),
        cursors=cursors,
        end_cursor=cursors[-1] if cursors else after,
        has_next_page=len(rows) > first,
        total_count=count.value,
        total_count_exact=count.exact,
    )
