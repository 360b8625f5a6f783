"""Filtered, sorted keyset pages of credentials for the SQLite store.

Every sort runs on an index (column, id, then the flat filter columns: type, stale, cost,
hours, transparency), so a page of a flat filter and its bounded count read that index alone,
never the rows they pass over; a count filtered by type reads the type index instead, and a
page of one type in name order the index of each type in name order (`type_index`). Unknown values sort last in both directions, so a
nullable sort reads the known values first and the unknown ones (ordered by id) after them:
two index range scans instead of one sort over the whole table.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from credgraph.model.views import CredentialView, Page, Projection
from credgraph.store.counting import (
    DEFAULT_COUNT_BOUND,
    NOT_COUNTED,
    Count,
    bounded,
    limit_for,
)
from credgraph.store.query import (
    NULLABLE_SORTS,
    CredentialFilter,
    CredentialSort,
    Cursor,
    SortField,
    check_filter,
    check_page_size,
)
from credgraph.store.sqlite import projected
from credgraph.store.sqlite.reads import fts_query, get_credentials
from credgraph.store.sqlite.sql import SKILL_LINK_TYPES, json_ids
from credgraph.store.sqlite.type_index import ORDERED_WITHIN_TYPE

SORT_COLUMNS: dict[SortField, str] = {
    SortField.NAME: "c.name_key",
    SortField.COST: "c.cost_amount",
    SortField.HOURS: "c.duration_hours",
    SortField.TRANSPARENCY: "c.transparency",
    SortField.SKILL_COUNT: "c.skill_count",
    SortField.OCCUPATION_COUNT: "c.occupation_count",
    SortField.LAST_SEEN: "c.last_seen",
}
_NO_MATCH = "0"


def where_clause(
    f: CredentialFilter, ordered: bool = False, sort: SortField | None = None
) -> tuple[list[str], list[Any]]:
    """Conditions (constant SQL text) and their bound values for a filter. `ordered`: for a
    scan in the order of `sort`, whose type condition then chooses no type index (a sort
    after it would read every entry of the type; the sort index stops after the page),
    unless `seeks_type` says the type index holds that order."""
    clauses: list[str] = []
    params: list[Any] = []
    if f.text is not None:
        query = fts_query(f.text)
        if query is None:
            clauses.append(_NO_MATCH)
        else:
            clauses.append(
                "c.rowid IN (SELECT rowid FROM credentials_fts WHERE credentials_fts MATCH ?)"
            )
            params.append(query)
    if f.issuer is not None:
        clauses.append("c.issuer_id = ?")
        params.append(f.issuer)
    if ordered and sort is not None and seeks_type(f, sort):
        clauses.append("c.type = ?")
        params.append(f.types[0].value)
    elif f.types:
        # Unary plus: SQLite's documented way to keep a term from choosing an index.
        column = "+c.type" if ordered else "c.type"
        clauses.append(f"{column} IN (SELECT value FROM json_each(?))")
        params.append(json_ids(t.value for t in f.types))
    for wanted, types in ((f.skills, SKILL_LINK_TYPES), (f.occupations, "('PREPARES_FOR')")):
        if wanted:
            # Every one of them: the credentials linked to as many distinct ids as were asked.
            clauses.append(
                f"c.id IN (SELECT src FROM edges WHERE dst IN (SELECT value FROM json_each(?)) "
                f"AND type IN {types} GROUP BY src HAVING count(DISTINCT dst) = ?)"
            )
            unique = list(dict.fromkeys(wanted))
            params += [json_ids(unique), len(unique)]
    for value, condition in (
        (f.max_cost, "c.cost_amount <= ?"),
        (f.max_hours, "c.duration_hours <= ?"),
        (f.min_transparency, "c.transparency >= ?"),
    ):
        if value is not None:
            clauses.append(condition)
            params.append(float(value))
    if f.exclude_stale:
        clauses.append("c.stale = 0")
    return clauses, params


def seeks_type(f: CredentialFilter, sort: SortField) -> bool:
    """Whether a page of `f` in `sort` order reads `credentials_type_name`: one type, in the
    order that index keeps within a type, and only conditions its columns answer (an issuer,
    words or links would test rows the index does not hold)."""
    return (
        SORT_COLUMNS[sort] == f"c.{ORDERED_WITHIN_TYPE}"
        and len(set(f.types)) == 1
        and f.issuer is None
        and f.text is None
        and not f.skills
        and not f.occupations
    )


def _scan(
    conn: sqlite3.Connection,
    value: str,
    clauses: list[str],
    params: list[Any],
    direction: str,
    limit: int,
    projection: Projection | None,
) -> list[tuple[Any, ...]]:
    """(id, sort value) rows ordered by `value` then id (by id alone when `value` is NULL);
    projected, each row goes on with its view's columns, read for the page's rows only."""
    where = " AND ".join(clauses) or "1"
    known = value != "NULL"
    order = f"{value} {direction}, c.id {direction}" if known else f"c.id {direction}"
    outer = f"p.value {direction}, p.id {direction}" if known else f"p.id {direction}"
    scan = f"SELECT c.id, {value} FROM credentials c WHERE {where} ORDER BY {order} LIMIT ?"
    if projection is not None:
        scan = (
            f"SELECT p.*, {projected.columns(projection)} FROM ("
            f"SELECT c.rowid AS rid, c.id, {value} AS value FROM credentials c WHERE {where} "
            f"ORDER BY {order} LIMIT ?) p CROSS JOIN credentials c ON c.rowid = p.rid "
            f"JOIN credential_docs d ON d.rowid = p.rid "
            f"ORDER BY {outer}"
        )
        return [row[1:] for row in conn.execute(scan, (*params, limit)).fetchall()]
    return conn.execute(scan, (*params, limit)).fetchall()


def count_matches(
    conn: sqlite3.Connection, table: str, where: str, params: list[Any], bound: int
) -> Count:
    """Rows of `table` (aliased by the caller's conditions) matching `where`, counted up to
    `bound`: the inner LIMIT stops reading the index once the bound is passed."""
    (counted,) = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {where} LIMIT ?)",
        (*params, limit_for(bound)),
    ).fetchone()
    return bounded(int(counted), bound)


def list_credentials(
    conn: sqlite3.Connection,
    f: CredentialFilter | None,
    sort: CredentialSort | None,
    first: int,
    after: str | None,
    projection: Projection | None = None,
    count_bound: int = DEFAULT_COUNT_BOUND,
) -> Page[CredentialView]:
    """A keyset page; under a `projection` its views carry only what it names, read in the
    page's query, and the matches are counted (up to `count_bound`) only when it asks."""
    f = check_filter(f or CredentialFilter())
    sort = sort or CredentialSort()
    check_page_size(first)
    cursor = (
        Cursor.decode(after, sort=sort.field.value, descending=sort.descending) if after else None
    )
    column = SORT_COLUMNS[sort.field]
    direction = "DESC" if sort.descending else "ASC"
    compare = "<" if sort.descending else ">"
    total = NOT_COUNTED
    if projection is None or projection.total_count:
        counted, counted_params = where_clause(f)
        total = count_matches(
            conn, "credentials c", " AND ".join(counted) or "1", counted_params, count_bound
        )
    clauses, params = where_clause(f, ordered=True, sort=sort.field)
    want = first + 1
    rows: list[tuple[Any, ...]] = []
    nullable = sort.field in NULLABLE_SORTS
    in_null_phase = cursor is not None and cursor.value is None
    if not in_null_phase:
        known = [*clauses, f"{column} IS NOT NULL"] if nullable else list(clauses)
        known_params = list(params)
        if cursor is not None:
            known.append(f"({column}, c.id) {compare} (?, ?)")
            known_params += [cursor.value, cursor.id]
        rows = _scan(conn, column, known, known_params, direction, want, projection)
    if nullable and len(rows) < want:
        unknown = [*clauses, f"{column} IS NULL"]
        unknown_params = list(params)
        if in_null_phase and cursor is not None:
            unknown.append(f"c.id {compare} ?")
            unknown_params.append(cursor.id)
        rows += _scan(
            conn, "NULL", unknown, unknown_params, direction, want - len(rows), projection
        )
    page_rows = rows[:first]
    if projection is None:
        views = get_credentials(conn, [r[0] for r in page_rows])
    else:
        views = [projected.view_of(r[2:]) for r in page_rows]
    cursors = tuple(
        Cursor(sort.field.value, sort.descending, r[1], r[0]).encode() for r in page_rows
    )
    return Page(
        items=tuple(views),
        cursors=cursors,
        end_cursor=cursors[-1] if cursors else after,
        has_next_page=len(rows) > first,
        total_count=total.value,
        total_count_exact=total.exact,
    )
