"""SQLite reads of credential names for the name index (`credgraph.store.names`).

Alternate names live only in the credential's document, so the whole-catalogue read has
SQLite's JSON functions take them out in C rather than decoding every document in Python.
"""

from __future__ import annotations

import json
import sqlite3

from credgraph.store.names import CredentialName


def credential_names(conn: sqlite3.Connection) -> list[CredentialName]:
    issuers = {
        issuer_id: (name, _names(alternates))
        for issuer_id, name, alternates in conn.execute(
            "SELECT id, name, json_extract(doc, '$.alternate_names') FROM issuers"
        )
    }
    rows = conn.execute(
        "SELECT c.id, c.name, c.issuer_id, json_extract(d.doc, '$.alternate_names') "
        "FROM credentials c LEFT JOIN credential_docs d ON d.rowid = c.rowid"
    )
    out = []
    for cid, name, issuer_id, alternates in rows:
        issuer_name, issuer_alternates = issuers.get(issuer_id, (None, ()))
        out.append(CredentialName(cid, name, _names(alternates), issuer_name, issuer_alternates))
    return out


def _names(stored: str | None) -> tuple[str, ...]:
    if not stored:
        return ()
    values = json.loads(stored)
    return tuple(v for v in values if isinstance(v, str)) if isinstance(values, list) else ()
