"""The graph's version on Neo4j: one `(:GraphVersion {id: 'graph'})` node whose counter is
bumped inside every write transaction that changed the graph, so a read sees a new version
exactly when it can see the change, whichever process wrote it.

The bump is the last statement of its transaction: the node's lock is taken after every other,
so concurrent writers queue on it briefly but never deadlock over it. The node carries a
random epoch set when it is created: a database emptied and written again never repeats a
token a cache still holds. The crawl ledger and leases are not the graph and leave it alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from neo4j import AsyncManagedTransaction

from credgraph.model.views import StaleReport, UpsertReport

GRAPH_VERSION = "GraphVersion"
SCHEMA = (
    f"CREATE CONSTRAINT credgraph_graphversion_id IF NOT EXISTS "
    f"FOR (n:{GRAPH_VERSION}) REQUIRE n.id IS UNIQUE"
)

_BUMP = f"""
MERGE (v:{GRAPH_VERSION} {{id: 'graph'}})
ON CREATE SET v.epoch = randomUUID(), v.value = 0
SET v.value = v.value + 1
"""
_READ = (
    f"OPTIONAL MATCH (v:{GRAPH_VERSION} {{id: 'graph'}}) RETURN v.epoch AS epoch, v.value AS value"
)

Read = Callable[..., Awaitable[list[Any]]]


def changed(result: object) -> bool:
    """Whether a graph write's result says it changed something: an `UpsertReport`, a
    `StaleReport`, or a (created, updated, ...) tuple."""
    if isinstance(result, StaleReport):
        return bool(result.newly_stale or result.revived)
    if isinstance(result, UpsertReport):
        return bool(result.created or result.updated or result.deleted)
    if isinstance(result, tuple):
        return bool(result[0] or result[1])
    raise TypeError(f"not a graph write's result: {type(result).__name__}")


async def bump(tx: AsyncManagedTransaction) -> None:
    """Call last in the write transaction that changed the graph."""
    result = await tx.run(_BUMP)
    await result.consume()


async def graph_version(read: Read) -> str:
    [row] = await read(_READ)
    if row["epoch"] is None:
        return "0"
    return f"{row['epoch']}:{row['value']}"
