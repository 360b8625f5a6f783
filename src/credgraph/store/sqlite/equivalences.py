"""Equivalences in SQLite: SAME_AS rows of `edges`, owned by the crosswalk that states them,
by the skill whose own `same_as` names them, or (`computed <method>`, with the method and
score in `props`) by a close-match computation."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from credgraph.model.records import Equivalence
from credgraph.model.values import NodeKind
from credgraph.model.views import UpsertReport
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
from credgraph.store.sqlite import graph_counts
from credgraph.store.sqlite.sql import NODE_TABLES, select_in

_KINDS = (NodeKind.SKILL, NodeKind.OCCUPATION)
# The edges written here join stored nodes only (`storable`, `storable_close_matches`) and
# nodes are never deleted: none ever lacks an end, so none moves the count of those that do
# (`graph_counts`'s `dangling`), only the edges' count.
_STATED = f"owner NOT LIKE '{COMPUTED}%'"  # a constant: no input reaches the statement


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
    # A crosswalk takes over what a computation found: the stated edge replaces the computed.
    taken_over = conn.executemany(
        f"DELETE FROM edges WHERE type = 'SAME_AS' AND owner LIKE '{COMPUTED}%' "
        "AND ((src = ? AND dst = ?) OR (src = ? AND dst = ?))",
        [(a, b, b, a) for (_kind, a, b) in wanted if (_kind, a, b) not in current],
    )
    graph_counts.deleted(conn, "edges", taken_over)
    gone = [(src, dst, owner) for (_kind, src, dst) in current - wanted.keys()]
    deleted = conn.executemany(
        "DELETE FROM edges WHERE src = ? AND type = 'SAME_AS' AND dst = ? AND owner = ?", gone
    )
    graph_counts.deleted(conn, "edges", deleted)
    inserted = conn.executemany(
        "INSERT OR IGNORE INTO edges (src, type, dst, owner, props) "
        "VALUES (?, 'SAME_AS', ?, ?, NULL)",
        [(src, dst, owner) for (_kind, src, dst) in wanted if (_kind, src, dst) not in current],
    )
    created = inserted.rowcount
    graph_counts.inserted(conn, "edges", inserted)
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
            f"AND {_STATED} "
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
            f"AND e.type = 'SAME_AS' AND e.{_STATED} JOIN {table} m ON m.id = e.dst "
            "ORDER BY e.src, e.dst"
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


def replace_close_matches(
    conn: sqlite3.Connection,
    method: str,
    matches: Sequence[CloseMatchEdge],
    scope: Sequence[str] | None,
) -> UpsertReport:
    """Call inside a write transaction. The edges `method` computed (all of them, or those
    touching a `scope` id) become exactly `matches`, minus the pairs a stated edge joins."""
    owner = computed_owner(method)
    ends = {i for m in matches for i in (m.a, m.b)}
    wanted, rejected = storable_close_matches(matches, _stored(conn, NodeKind.SKILL, ends))
    stated = _stated_pairs(conn, list(wanted))
    wanted = {key: m for key, m in wanted.items() if key not in stated}
    current = _computed(conn, owner, scope)
    gone = [(a, b) for (a, b) in current if (a, b) not in wanted]
    deleted = conn.executemany(
        "DELETE FROM edges WHERE src = ? AND type = 'SAME_AS' AND dst = ? AND owner = ?",
        [(a, b, owner) for a, b in gone],
    )
    graph_counts.deleted(conn, "edges", deleted)
    created = updated = 0
    for (a, b), match in wanted.items():
        props = json.dumps({"match": CLOSE_MATCH, "method": match.method, "score": match.score})
        old = current.get((a, b))
        if old is None:
            inserted = conn.execute(
                "INSERT OR IGNORE INTO edges (src, type, dst, owner, props) "
                "VALUES (?, 'SAME_AS', ?, ?, ?)",
                (a, b, owner, props),
            )
            created += inserted.rowcount
        elif old != match.score:
            conn.execute(
                "UPDATE edges SET props = ? WHERE src = ? AND type = 'SAME_AS' AND dst = ? "
                "AND owner = ?",
                (props, a, b, owner),
            )
            updated += 1
    graph_counts.move(conn, "edges", created)  # once for every insert above
    return UpsertReport(
        created=created,
        updated=updated,
        unchanged=len(wanted) - created - updated,
        rejected=tuple(rejected),
        deleted=len(gone),
    )


def _stated_pairs(conn: sqlite3.Connection, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """The ordered pairs among `pairs` that a stated SAME_AS edge joins, either way."""
    ends = list({i for pair in pairs for i in pair})
    found: set[tuple[str, str]] = set()
    for src, dst in select_in(
        conn,
        f"SELECT src, dst FROM edges WHERE src IN ({{ids}}) AND type = 'SAME_AS' AND {_STATED}",
        ends,
    ):
        found.add((src, dst) if src < dst else (dst, src))
    return found


def _computed(
    conn: sqlite3.Connection, owner: str, scope: Sequence[str] | None
) -> dict[tuple[str, str], float | None]:
    """(src, dst) -> score of the edges `owner` computed (those touching `scope`, if given)."""
    if scope is None:
        rows = conn.execute(
            "SELECT src, dst, props FROM edges WHERE type = 'SAME_AS' AND owner = ?", (owner,)
        ).fetchall()
    else:
        rows = []
        for column in ("src", "dst"):
            rows += select_in(
                conn,
                f"SELECT src, dst, props FROM edges WHERE {column} IN ({{ids}}) "
                "AND type = 'SAME_AS' AND owner = ?",
                scope,
                owner,
            )
    found: dict[tuple[str, str], float | None] = {}
    for src, dst, props in rows:
        score = json.loads(props).get("score") if props else None
        found[(src, dst)] = score if isinstance(score, (int, float)) else None
    return found


def related_many(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, list[RelatedConcept]]:
    """Every stored skill or occupation a SAME_AS edge joins to each id, stated or computed."""
    found: dict[str, dict[str, RelatedConcept]] = {i: {} for i in ids}
    for near, far, column in (("src", "dst", "src"), ("dst", "src", "dst")):
        for row in select_in(
            conn,
            f"SELECT {near}, {far}, owner, props FROM edges WHERE {column} IN ({{ids}}) "
            f"AND type = 'SAME_AS' "
            f"AND ({far} IN (SELECT id FROM skills) OR {far} IN (SELECT id FROM occupations))",
            list(found),
        ):
            props = json.loads(row[3]) if row[3] else {}
            if row[1] != row[0]:
                keep_better(found[row[0]], related_from_edge(row[1], row[2], props))
    return best_related(found)
