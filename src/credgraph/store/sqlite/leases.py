"""Leases in SQLite: one row per lease name, taken with one conditional upsert.

Every call runs inside a `BEGIN IMMEDIATE` transaction (the caller's), so the check "free,
expired or mine" and the write are one atomic step across processes. Times are Unix seconds
from the caller's clock: processes sharing a SQLite file share a machine, and so a clock.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from credgraph.model.lease import Lease

# excluded.* is the row we try to insert; leases.* the one held. The WHERE makes the update
# happen only when the held lease is ours or has expired: otherwise the statement changes
# nothing and the holder stays.
_ACQUIRE = """
INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET
    acquired_at = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > ?
                       THEN leases.acquired_at ELSE excluded.acquired_at END,
    holder = excluded.holder,
    expires_at = excluded.expires_at
WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
"""


def acquire(conn: sqlite3.Connection, name: str, holder: str, ttl: float, now: float) -> bool:
    conn.execute(_ACQUIRE, (name, holder, now, now + ttl, now, now))
    row = conn.execute("SELECT holder FROM leases WHERE name = ?", (name,)).fetchone()
    return row is not None and row[0] == holder


def renew(conn: sqlite3.Connection, name: str, holder: str, ttl: float, now: float) -> bool:
    cursor = conn.execute(
        "UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?", (now + ttl, name, holder)
    )
    return cursor.rowcount == 1


def take_over(
    conn: sqlite3.Connection, name: str, old: str, new: str, ttl: float, now: float
) -> bool:
    cursor = conn.execute(
        "UPDATE leases SET holder = ?, acquired_at = ?, expires_at = ? "
        "WHERE name = ? AND holder = ?",
        (new, now, now + ttl, name, old),
    )
    return cursor.rowcount == 1


def release(conn: sqlite3.Connection, name: str, holder: str) -> None:
    conn.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))


def live(conn: sqlite3.Connection, now: float) -> list[Lease]:
    rows = conn.execute(
        "SELECT name, holder, acquired_at, expires_at FROM leases WHERE expires_at > ? "
        "ORDER BY name",
        (now,),
    ).fetchall()
    return [
        Lease(name, holder, datetime.fromtimestamp(at, UTC), datetime.fromtimestamp(until, UTC))
        for name, holder, at, until in rows
    ]
