"""`store check` on SQLite: the database's own integrity and foreign-key checks, dangling edge
ends, credentials without their issuer, node counts against the full-text tables, the
counts the store keeps (`graph_counts`) against the tables."""

from __future__ import annotations

import sqlite3

from credgraph.model.values import EdgeType, NodeKind
from credgraph.store.check import ENDS, KINDS, MAY_DANGLE, CheckReport
from credgraph.store.sqlite import graph_counts

# Table names come from here only, never from input.
TABLES: dict[NodeKind, str] = {
    NodeKind.ISSUER: "issuers",
    NodeKind.CREDENTIAL: "credentials",
    NodeKind.SKILL: "skills",
    NodeKind.OCCUPATION: "occupations",
    NodeKind.SOURCE: "sources",
}


def _count(conn: sqlite3.Connection, sql: str, *params: object) -> int:
    return int(conn.execute(sql, params).fetchone()[0])


def _missing_end(column: str, kinds: frozenset[NodeKind]) -> str:
    """SQL: the edge's `column` names no stored node of `kinds`."""
    return " AND ".join(
        f"NOT EXISTS (SELECT 1 FROM {TABLES[k]} WHERE id = e.{column})" for k in sorted(kinds)
    )


def check(conn: sqlite3.Connection, report: CheckReport) -> None:
    report.checks.append("integrity_check")
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        report.problem("integrity_check", "; ".join(map(str, rows[:5])), len(rows))
    report.checks.append("foreign_key_check")
    bad = conn.execute("PRAGMA foreign_key_check").fetchall()
    tables = sorted({str(r[0]) for r in bad})
    report.problem("foreign_key_check", f"rows breaking a foreign key in {tables}", len(bad))
    _edges(conn, report)
    _issuers(conn, report)
    _counts(conn, report)
    _kept_counts(conn, report)
    _orphans(conn, report)


def _edges(conn: sqlite3.Connection, report: CheckReport) -> None:
    report.checks.append("dangling references")
    known = [t.value for t in EdgeType]
    unknown = _count(
        conn,
        f"SELECT count(*) FROM edges WHERE type NOT IN ({', '.join('?' * len(known))})",
        *known,
    )
    report.problem("dangling references", "edges of an unknown type", unknown)
    for edge_type, (starts, ends) in ENDS.items():
        if edge_type in MAY_DANGLE:
            continue
        for column, kinds in (("src", starts), ("dst", ends)):
            n = _count(
                conn,
                f"SELECT count(*) FROM edges e WHERE e.type = ? AND {_missing_end(column, kinds)}",
                edge_type.value,
            )
            where = "start" if column == "src" else "end"
            report.problem(
                "dangling references",
                f"{edge_type.value} edges whose {where} is not a stored "
                f"{' or '.join(sorted(k.value for k in kinds))}",
                n,
            )


def _issuers(conn: sqlite3.Connection, report: CheckReport) -> None:
    report.checks.append("credential issuers")
    report.problem(
        "credential issuers",
        "credentials naming an issuer that is not stored",
        _count(
            conn,
            "SELECT count(*) FROM credentials c WHERE c.issuer_id IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM issuers i WHERE i.id = c.issuer_id)",
        ),
    )
    report.problem(
        "credential issuers",
        "credentials naming an issuer without ISSUED_BY edge",
        _count(
            conn,
            "SELECT count(*) FROM credentials c WHERE c.issuer_id IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM edges e WHERE e.src = c.id AND "
            "e.type = 'ISSUED_BY' AND e.dst = c.issuer_id)",
        ),
    )


def _counts(conn: sqlite3.Connection, report: CheckReport) -> None:
    report.checks.append("counts")
    for kind in KINDS:
        table = TABLES[kind]
        rows = _count(conn, f"SELECT count(*) FROM {table}")
        indexed = _count(conn, f"SELECT count(*) FROM {table}_fts")
        report.counts[kind.value] = rows
        report.problem(
            "counts", f"{rows} {table} but {indexed} rows in {table}_fts", abs(rows - indexed)
        )


def _kept_counts(conn: sqlite3.Connection, report: CheckReport) -> None:
    report.checks.append("kept counts")
    _version, kept = graph_counts.kept(conn)
    if kept is None:  # not trusted, so never read: the next open counts them again
        return
    for table, rows in graph_counts.counted(conn).items():
        report.problem(
            "kept counts", f"{rows} {table} but {kept[table]} kept", abs(rows - kept[table])
        )


def _orphans(conn: sqlite3.Connection, report: CheckReport) -> None:
    for kind in KINDS:
        report.orphans[kind.value] = _count(
            conn,
            f"SELECT count(*) FROM {TABLES[kind]} n WHERE "
            "NOT EXISTS (SELECT 1 FROM edges WHERE src = n.id) AND "
            "NOT EXISTS (SELECT 1 FROM edges WHERE dst = n.id) AND "
            # a job posting's link (store.sqlite.jobs) joins a node too, as in Neo4j
            "NOT EXISTS (SELECT 1 FROM posting_links WHERE target = n.id) AND "
            "NOT EXISTS (SELECT 1 FROM job_postings WHERE employer_id = n.id)",
        )
