"""Credential views under a projection for the SQLite store: flat columns, and the issuer,
skills and occupations as JSON built by SQLite itself, in one query for many credentials.

Links are listed in the record's order: the document's `skills`/`occupations` arrays are
walked by `json_each` inside SQLite (its key is the position), joined to the stored nodes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from credgraph.model.views import CredentialView, Projection
from credgraph.store.projected import CREDENTIAL_FIELDS, projected_view
from credgraph.store.sqlite.sql import select_in

FLAT = CREDENTIAL_FIELDS
# Position in the record, then NODE_FIELDS: arrays, not objects (no key per value to parse).
_NODE = "json_array(j.key, n.id, n.name, n.framework, n.uri, n.code)"


def _links(table: str, path: str) -> str:
    return (
        f"(SELECT json_group_array({_NODE}) FROM json_each(d.doc, '$.{path}s') j "
        f"JOIN {table} n ON n.id = json_extract(j.value, '$.{path}.id'))"
    )


def columns(projection: Projection) -> str:
    """Result columns, with `c` a credentials row and `d` its document row: the flat fields,
    then issuer, skills and occupations as projected (each a JSON text, or NULL)."""
    out = [f"c.{name}" for name in FLAT]
    out.append(
        "(SELECT json_array(i.id, i.name, i.country, i.ctid, i.url) "
        "FROM issuers i WHERE i.id = c.issuer_id)"
        if projection.issuer
        else "NULL"
    )
    out.append(_links("skills", "skill") if projection.skills else "NULL")
    out.append(_links("occupations", "occupation") if projection.occupations else "NULL")
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
