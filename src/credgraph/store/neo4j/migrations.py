"""Data migrations on Neo4j: changes to data already stored that a newer credgraph needs, run
once per database when a store opens, after the constraints and indexes (`schema.py`, which
are idempotent and need no record).

A step is a name and one auto-commit statement (so it may batch itself with `CALL { ... } IN
TRANSACTIONS`) that is idempotent: two processes opening a store at once may both run it. A
step that completed is recorded as a `(:Migration {name, done_at})` node; one that failed is
not, and runs again on the next open. A database emptied since (a reload) runs every step
again, which costs little on an empty graph.

Steps, in order:
- `equated-label`: the `Equated` hint on both ends of every SAME_AS relationship stored
  before the write paths set it (`equated.py`).
"""

from __future__ import annotations

from neo4j import AsyncDriver
from neo4j.api import AsyncBookmarkManager

from credgraph.store.neo4j import equated
from credgraph.store.neo4j.common import now_iso

MIGRATION = "Migration"
SCHEMA = (
    f"CREATE CONSTRAINT credgraph_migration_name IF NOT EXISTS "
    f"FOR (n:{MIGRATION}) REQUIRE n.name IS UNIQUE"
)
STEPS: tuple[tuple[str, str], ...] = (("equated-label", equated.BACKFILL),)

_DONE = f"MATCH (m:{MIGRATION}) RETURN collect(m.name) AS names"
_RECORD = f"MERGE (m:{MIGRATION} {{name: $name}}) ON CREATE SET m.done_at = $at"


async def migrate(
    driver: AsyncDriver, database: str | None, bookmarks: AsyncBookmarkManager
) -> list[str]:
    """Run the steps this database has not recorded (on the leader, chained to the store's
    bookmarks); returns their names."""
    result = await driver.execute_query(_DONE, database_=database, bookmark_manager_=bookmarks)
    done = set(result.records[0]["names"])
    ran: list[str] = []
    for name, statement in STEPS:
        if name in done:
            continue
        async with driver.session(database=database, bookmark_manager=bookmarks) as session:
            step = await session.run(statement)
            await step.consume()
        await driver.execute_query(
            _RECORD, name=name, at=now_iso(), database_=database, bookmark_manager_=bookmarks
        )
        ran.append(name)
    return ran
