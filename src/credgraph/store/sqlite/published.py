"""Published pathways on SQLite: one row per pathway (its record as JSON), the credentials it
names (`pathway_members`), and PUBLISHED_PATHWAY edges between them owned by the pathway, so
re-crawling a pathway replaces exactly its own steps."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from credgraph.model import codec
from credgraph.model.pathway import PublishedPathway
from credgraph.store.mapping import document
from credgraph.store.sqlite import graph_counts
from credgraph.store.sqlite.sql import select_in
from credgraph.store.sqlite.writes import Counts


def upsert_pathways(
    conn: sqlite3.Connection, pathways: Sequence[PublishedPathway], now: str
) -> Counts:
    counts = Counts()
    stored = {
        r[0]: r[1]
        for r in select_in(
            conn,
            "SELECT id, content_hash FROM pathways WHERE id IN ({ids})",
            [p.id for p in pathways],
        )
    }
    for p in pathways:
        _, digest = document(p)
        if stored.get(p.id) == digest:
            counts.unchanged += 1
            continue
        if p.id in stored:
            counts.updated += 1
        else:
            counts.created += 1
        conn.execute(
            "INSERT INTO pathways (id, name, content_hash, updated_at, doc) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
            "content_hash = excluded.content_hash, updated_at = excluded.updated_at, "
            "doc = excluded.doc",
            (p.id, p.name, digest, now, codec.dumps(p)),
        )
        conn.execute("DELETE FROM pathway_members WHERE pathway_id = ?", (p.id,))
        deleted = conn.execute(
            "DELETE FROM edges WHERE type = 'PUBLISHED_PATHWAY' AND owner = ?", (p.id,)
        )
        graph_counts.deleted(conn, "edges", deleted)
        conn.executemany(
            "INSERT OR IGNORE INTO pathway_members (credential_id, pathway_id) VALUES (?, ?)",
            [(c, p.id) for c in p.credentials()],
        )
        props = json.dumps({"pathway": p.id})
        inserted = conn.executemany(
            "INSERT OR IGNORE INTO edges (src, type, dst, owner, props) "
            "VALUES (?, 'PUBLISHED_PATHWAY', ?, ?, ?)",
            [(a, b, p.id, props) for a, b in p.credential_steps()],
        )
        graph_counts.inserted(conn, "edges", inserted)
    return counts


def pathways_of(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, list[PublishedPathway]]:
    out: dict[str, list[PublishedPathway]] = {i: [] for i in ids if isinstance(i, str)}
    rows = select_in(
        conn,
        "SELECT m.credential_id, p.doc FROM pathway_members m JOIN pathways p "
        "ON p.id = m.pathway_id WHERE m.credential_id IN ({ids}) ORDER BY p.name, p.id",
        list(out),
    )
    for credential_id, doc in rows:
        out[credential_id].append(codec.from_json(PublishedPathway, json.loads(doc)))
    return out
