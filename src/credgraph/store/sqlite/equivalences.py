"""Crosswalk equivalences in SQLite: SAME_AS rows of `edges` whose `owner` is the crosswalk."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from credgraph.model.records import Equivalence
from credgraph.model.values import NodeKind
from credgraph.model.views import UpsertReport
from credgraph.store.equivalence import Key, ends_by_kind, storable
from credgraph.store.sqlite.sql import NODE_TABLES, select_in

_KINDS = (NodeKind.SKILL, NodeKind.OCCUPATION)


def _stored(conn: sqlite3.Connection, kind: NodeKind, ids: set[str]) -> set[str]:
    table = NODE_TABLES[kind]
    return {r[0] for r in select_in(conn, f"SELECT id FROM {table} WHERE id IN ({{ids}})", ids)}


def _owned(conn: sqlite3.Connection, owner: str) -> set[Key]:
    found: set[Key] = set()
    for kind in _KINDS:
        rows = conn.execute(
            f"SELECT e.src, e.dst FROM {NODE_TABLES[kind]} n "
            "JOIN edges e ON e.src = n.id AND e.type = 'SAME_AS' WHERE e.owner = ?",
            (owner,),
        )
        found.update((kind, src, dst) for src, dst in rows)
    return found


def replace(conn: sqlite3.Connection, owner: str, pairs: Sequence[Equivalence]) -> UpsertReport:
    """Call inside a write transaction."""
    known = {kind: _stored(conn, kind, ids) for kind, ids in ends_by_kind(pairs).items()}
    wanted, rejected = storable(pairs, known)
    current = _owned(conn, owner)
    gone = [(src, dst, owner) for (_kind, src, dst) in current - wanted.keys()]
    conn.executemany(
        "DELETE FROM edges WHERE src = ? AND type = 'SAME_AS' AND dst = ? AND owner = ?", gone
    )
    before = conn.total_changes
    conn.executemany(
        "INSERT OR IGNORE INTO edges (src, type, dst, owner, props) "
        "VALUES (?, 'SAME_AS', ?, ?, NULL)",
        [(src, dst, owner) for (_kind, src, dst) in wanted if (_kind, src, dst) not in current],
    )
    created = conn.total_changes - before
    return UpsertReport(
        created=created,
        unchanged=len(wanted) - created,
        rejected=tuple(rejected),
        deleted=len(gone),
    )


def equivalents_many(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, list[str]]:
    found: dict[str, set[str]] = {i: set() for i in ids}
    for near, far, column in (("src", "dst", "src"), ("dst", "src", "dst")):
        for row in select_in(
            conn,
            f"SELECT {near}, {far} FROM edges WHERE {column} IN ({{ids}}) AND type = 'SAME_AS' "
            f"AND ({far} IN (SELECT id FROM skills) OR {far} IN (SELECT id FROM occupations))",
            ids,
        ):
            found[row[0]].add(row[1])
    return {i: sorted(others) for i, others in found.items()}


def pairs(conn: sqlite3.Connection) -> list[tuple[NodeKind, str, str]]:
    found: list[tuple[NodeKind, str, str]] = []
    for kind in _KINDS:
        table = NODE_TABLES[kind]
        rows = conn.execute(
            f"SELECT e.src, e.dst FROM {table} n JOIN edges e ON e.src = n.id "
            f"AND e.type = 'SAME_AS' JOIN {table} m ON m.id = e.dst ORDER BY e.src, e.dst"
        )
        found.extend((kind, src, dst) for src, dst in rows)
    return found


def occupation_ids_by_code(
    conn: sqlite3.Connection, framework: str, codes: Sequence[str]
) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for code, node_id in select_in(
        conn,
        "SELECT code, id FROM occupations WHERE code IN ({ids}) AND framework = ? ORDER BY id",
        codes,
        framework,
    ):
        found.setdefault(code, []).append(node_id)
    return found
