"""Leases in Neo4j: one `(:Lease {name, holder, acquired_at, expires_at})` node per name.

Acquiring is one write transaction: MERGE finds or creates the node (the uniqueness constraint
on `name` makes concurrent creators wait for each other), then a write to the node takes its
lock *before* the holder and expiry are read, so two transactions can never both see the
lease free. Taking over a dead holder's lease locks the node the same way before comparing
the holder. Times are the database server's clock (`timestamp()`, ms), so scheduler
replicas on hosts with skewed clocks still agree on when a lease expired. Released leases
keep their node with no holder: deleting it would race with a concurrent MERGE.
"""

from __future__ import annotations

from datetime import UTC, datetime

from neo4j import AsyncManagedTransaction

from credgraph.model.lease import Lease
from credgraph.store.neo4j.links import run

LEASE = "Lease"

_ACQUIRE = f"""
MERGE (l:{LEASE} {{name: $name}})
ON CREATE SET l.expires_at = 0
SET l.locked_by = $holder
WITH l, timestamp() AS now
WITH l, now,
     l.holder = $holder AND l.expires_at > now AS renewing,
     l.holder IS NULL OR l.holder = $holder OR l.expires_at <= now AS free
FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END |
    SET l.acquired_at = CASE WHEN renewing THEN l.acquired_at ELSE now END,
        l.holder = $holder,
        l.expires_at = now + $ttl_ms)
REMOVE l.locked_by
RETURN free
"""

_RENEW = f"""
MATCH (l:{LEASE} {{name: $name}}) WHERE l.holder = $holder
SET l.expires_at = timestamp() + $ttl_ms
RETURN count(l) AS renewed
"""

# As in _ACQUIRE, the node is locked (by a write) before its holder is read: a plain
# `MATCH ... WHERE l.holder = $old_holder SET ...` lets two concurrent takers both match the
# old holder, and the second overwrites the first after it commits.
_TAKE_OVER = f"""
MATCH (l:{LEASE} {{name: $name}})
SET l.locked_by = $new_holder
WITH l, timestamp() AS now
WITH l, now, coalesce(l.holder = $old_holder, false) AS taken
FOREACH (_ IN CASE WHEN taken THEN [1] ELSE [] END |
    SET l.holder = $new_holder, l.acquired_at = now, l.expires_at = now + $ttl_ms)
REMOVE l.locked_by
RETURN taken
"""

_RELEASE = f"""
MATCH (l:{LEASE} {{name: $name}}) WHERE l.holder = $holder
SET l.holder = null, l.expires_at = 0
"""

LIVE = f"""
MATCH (l:{LEASE}) WHERE l.holder IS NOT NULL AND l.expires_at > timestamp()
RETURN l.name AS name, l.holder AS holder, l.acquired_at AS acquired_at,
       l.expires_at AS expires_at
ORDER BY name
"""


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


async def acquire(tx: AsyncManagedTransaction, name: str, holder: str, ttl: float) -> bool:
    [record] = await run(tx, _ACQUIRE, name=name, holder=holder, ttl_ms=_ms(ttl))
    return bool(record["free"])


async def renew(tx: AsyncManagedTransaction, name: str, holder: str, ttl: float) -> bool:
    [record] = await run(tx, _RENEW, name=name, holder=holder, ttl_ms=_ms(ttl))
    return bool(record["renewed"])


async def take_over(
    tx: AsyncManagedTransaction, name: str, old_holder: str, new_holder: str, ttl: float
) -> bool:
    records = await run(
        tx, _TAKE_OVER, name=name, old_holder=old_holder, new_holder=new_holder, ttl_ms=_ms(ttl)
    )
    return bool(records and records[0]["taken"])  # no record: no lease of that name


async def release(tx: AsyncManagedTransaction, name: str, holder: str) -> None:
    await run(tx, _RELEASE, name=name, holder=holder)


def lease_of(row: dict[str, object]) -> Lease:
    def at(ms: object) -> datetime:
        return datetime.fromtimestamp(int(ms) / 1000, UTC)  # type: ignore[call-overload]

    return Lease(
        str(row["name"]), str(row["holder"]), at(row["acquired_at"]), at(row["expires_at"])
    )
