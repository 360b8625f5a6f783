"""Credential views under a projection for the SQLite store: flat columns, and the issuer,
skills and occupations as JSON built by SQLite itself, in one query for many credentials.

Links are listed in the record's order: the document's `skills`/`occupations` arrays are
walked by `json_each` inside SQLite (its key is the position), joined to the stored nodes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from credgraph.model.views import CredentialView, Projection
from credgraph.store.projected import (
    CREDENTIAL_FIELDS,
    ISSUER_FIELDS,
    NODE_FIELDS,
    projected_view,
    read_fields,
)
from credgraph.store.sqlite.sql import select_in

FLAT = CREDENTIAL_FIELDS


def _values(alias: str, fields: tuple[str, ...], chosen: frozenset[str] | None) -> list[str]:
    """The columns of `fields`, NULL for those the projection does not read."""
    read = read_fields(fields, chosen)
    return [f"{alias}.{f}" if r else "NULL" for f, r in zip(fields, read, strict=True)]


def _links(table: str, path: str, chosen: frozenset[str] | None) -> str:
    # Position in the record, then NODE_FIELDS: arrays, not objects (no key per value).
    node = f"json_array(j.key, {', '.join(_values('n', NODE_FIELDS, chosen))})"
    return (
        f"(SELECT json_group_array({node}) FROM json_each(d.doc, '$.{path}s') j "
        f"JOIN {table} n ON n.id = json_extract(j.value, '$.{path}.id'))"
    )


@lru_cache(maxsize=64)  # a handful of projections exist: each statement's text built once
def columns(projection: Projection) -> str:
    """Result columns, with `c` a credentials row and `d` its document row: the flat fields,
    then issuer, skills and occupations as projected (each a JSON text, or NULL)."""
    out = _values("c", FLAT, projection.credential_fields)
    issuer = ", ".join(_values("i", ISSUER_FIELDS, projection.issuer_fields))
    out.append(
        f"(SELECT json_array({issuer}) FROM issuers i WHERE i.id = c.issuer_id)"
        if projection.issuer
        else "NULL"
    )
    out.append(_links("skills", "skill", projection.skill_fields) if projection.skills else "NULL")
    out.append(
        _links("occupations", "occupation", projection.occupation_fields)
        if projection.occupations
        else "NULL"
    )
    return ", ".join(out)


def _in_order(raw: str | None) -> list[list[Any]]:
    """Linked nodes (their NODE_FIELDS values) by position in the record, each id once (its
    first link)."""
    kept: dict[str, list[Any]] = {}
    for node in sorted(json.loads(raw) if raw else (), key=itemgetter(0)):
        kept.setdefault(node[1], node[1:])
    return list(kept.values())


def view_of(row: Sequence[Any]) -> CredentialView:
    """A projected view from a row of `columns` (at the row's start)."""
    issuer, skills, occupations = row[len(FLAT) : len(FLAT) + 3]
    return projected_view(
        row[: len(FLAT)],
        json.loads(issuer) if issuer else None,
        _in_order(skills),
        _in_order(occupations),
    )


def get_credentials(
    conn: sqlite3.Connection, ids: Sequence[str], projection: Projection
) -> list[CredentialView]:
    rows = select_in(
        conn,
        f"SELECT {columns(projection)} FROM credentials c "
        "JOIN credential_docs d ON d.rowid = c.rowid WHERE c.id IN ({ids})",
        ids,
    )
    views = {row[0]: view_of(row) for row in rows}
    return [views[i] for i in ids if i in views]
