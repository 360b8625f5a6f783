"""Small helpers for building SQL from constant fragments, never from input values."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from credgraph.model.values import NodeKind

T = TypeVar("T")
CHUNK = 500  # ids per IN (...) list; far under SQLite's bound-parameter limit

# Table names by node kind: the only table names that ever appear in a statement.
NODE_TABLES: dict[NodeKind, str] = {
    NodeKind.ISSUER: "issuers",
    NodeKind.CREDENTIAL: "credentials",
    NodeKind.SKILL: "skills",
    NodeKind.OCCUPATION: "occupations",
}
FTS_TABLES: dict[NodeKind, str] = {kind: f"{table}_fts" for kind, table in NODE_TABLES.items()}
SKILL_LINK_TYPES = "('TEACHES','ASSESSES')"


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def json_ids(ids: Iterable[str]) -> str:
    """`ids` as one JSON array parameter, read back with `json_each(?)`: one bound value and
    one expression node however many ids there are (one `?` per id would reach SQLite's
    expression-depth and parameter limits)."""
    return json.dumps(list(dict.fromkeys(ids)))


def marks(n: int) -> str:
    """`?,?,?` for n bound parameters."""
    return ",".join("?" * n)


def select_in(
    conn: sqlite3.Connection, sql: str, ids: Iterable[str], *extra: Any
) -> list[sqlite3.Row | tuple[Any, ...]]:
    """Run `sql` (containing one `{ids}` placeholder) over `ids` in chunks; `extra` params
    are bound after the ids."""
    unique = list(dict.fromkeys(ids))
    rows: list[Any] = []
    for part in chunks(unique):
        rows += conn.execute(sql.format(ids=marks(len(part))), (*part, *extra)).fetchall()
    return rows
