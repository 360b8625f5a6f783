"""Constraints and indexes, created idempotently when a store opens.

- Uniqueness on `id` for every stored label (MERGE then seeks through the constraint's index),
  on (ref_kind, id) for link placeholders, and on Credential.ctid: a second credential claiming
  a CTID is rejected by the database, rolling back its whole batch.
- Range indexes on every property a credential list filters or sorts on, and on the
  properties issuer, skill and occupation listings sort and filter on.
- Two composite range indexes on credentials, by type then name and by type then cost
  (`TYPE_SORT_INDEXES`): a page of some types in name or cost order seeks each type's
  entries in that order and stops after the page (`pages.py`), and the count of a type
  under a cost bound reads only that range (at 1M credentials the planner otherwise read
  every credential under the cost bound and sorted them: 0.5 s a page).
- Uniqueness on Migration.name: the record of each data migration step run (migrations.py).
- One full-text index per searchable kind over `name` and `search_body`, with an analyzer that
  folds accents ("Zürich" is found by "zurich"); it drops English stop words, and so does
  the query builder (`text.py`).
"""

from __future__ import annotations

import re

from neo4j import AsyncDriver
from neo4j.api import AsyncBookmarkManager
from neo4j.exceptions import ClientError

from credgraph.model.values import NodeKind
from credgraph.store.neo4j import migrations, version
from credgraph.store.neo4j.common import DOCUMENT, PATHWAY, REF, VERSION, label
from credgraph.store.neo4j.leases import LEASE
from credgraph.store.query import SEARCHABLE

ANALYZER = "standard-folding"
# Sort property -> the composite index a page of some types in that order is read through.
TYPE_SORT_INDEXES: dict[str, tuple[str, str]] = {
    "name_key": ("type", "name_key"),
    "cost_amount": ("type", "cost_amount"),
}
_NAME = re.compile(r"(?:CONSTRAINT|INDEX) (\w+) IF NOT EXISTS")

_UNIQUE_ID_KINDS = (
    NodeKind.ISSUER,
    NodeKind.CREDENTIAL,
    NodeKind.SKILL,
    NodeKind.OCCUPATION,
    NodeKind.SOURCE,
    NodeKind.CRAWL_RUN,
)

_CREDENTIAL_RANGE = (
    "name_key",
    "cost_amount",
    "duration_hours",
    "transparency",
    "skill_count",
    "occupation_count",
    "last_seen",
    "issuer_id",
    "url",
    "stale",
)

FULLTEXT_INDEX: dict[NodeKind, str] = {
    kind: f"credgraph_{kind.value.lower()}_text" for kind in SEARCHABLE
}


# Job postings (store.neo4j.jobs): their own label, id constraint, title order, source and text.
POSTING = "JobPosting"
POSTING_FULLTEXT = "credgraph_jobposting_text"
POSTING_SCHEMA = (
    f"CREATE CONSTRAINT credgraph_jobposting_id IF NOT EXISTS "
    f"FOR (n:{POSTING}) REQUIRE n.id IS UNIQUE",
    f"CREATE INDEX credgraph_jobposting_title_key IF NOT EXISTS FOR (n:{POSTING}) ON (n.title_key)",
    f"CREATE INDEX credgraph_jobposting_source IF NOT EXISTS FOR (n:{POSTING}) ON (n.source_id)",
    f"CREATE FULLTEXT INDEX {POSTING_FULLTEXT} IF NOT EXISTS FOR (n:{POSTING}) "
    "ON EACH [n.title, n.search_body] "
    f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{ANALYZER}'}}}}",
)


def statements() -> list[str]:
    out: list[str] = []
    for kind in _UNIQUE_ID_KINDS:
        name = f"credgraph_{kind.value.lower()}_id"
        out.append(
            f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label(kind)}) REQUIRE n.id IS UNIQUE"
        )
    out.append(
        f"CREATE CONSTRAINT credgraph_ref_key IF NOT EXISTS "
        f"FOR (n:{REF}) REQUIRE (n.ref_kind, n.id) IS UNIQUE"
    )
    out.append(
        f"CREATE CONSTRAINT credgraph_document_key IF NOT EXISTS "
        f"FOR (n:{DOCUMENT}) REQUIRE (n.source_id, n.url) IS UNIQUE"
    )
    out.append(
        f"CREATE INDEX credgraph_document_source IF NOT EXISTS FOR (n:{DOCUMENT}) ON (n.source_id)"
    )
    out.append(
        f"CREATE CONSTRAINT credgraph_lease_name IF NOT EXISTS FOR (n:{LEASE}) REQUIRE n.name IS UNIQUE"
    )
    out.append(
        "CREATE CONSTRAINT credgraph_credential_ctid IF NOT EXISTS "
        f"FOR (n:{label(NodeKind.CREDENTIAL)}) REQUIRE n.ctid IS UNIQUE"
    )
    for prop in _CREDENTIAL_RANGE:
        out.append(
            f"CREATE INDEX credgraph_credential_{prop} IF NOT EXISTS "
            f"FOR (n:{label(NodeKind.CREDENTIAL)}) ON (n.{prop})"
        )
    for name, props in zip(("type_name", "type_cost"), TYPE_SORT_INDEXES.values(), strict=True):
        out.append(
            f"CREATE INDEX credgraph_credential_{name} IF NOT EXISTS "
            f"FOR (n:{label(NodeKind.CREDENTIAL)}) ON ({', '.join(f'n.{p}' for p in props)})"
        )
    for kind in (NodeKind.ISSUER, NodeKind.SKILL, NodeKind.OCCUPATION):
        out.append(
            f"CREATE INDEX credgraph_{kind.value.lower()}_name_key IF NOT EXISTS "
            f"FOR (n:{label(kind)}) ON (n.name_key)"
        )
    out.append(
        "CREATE INDEX credgraph_issuer_country IF NOT EXISTS "
        f"FOR (n:{label(NodeKind.ISSUER)}) ON (n.country)"
    )
    out.append(
        "CREATE INDEX credgraph_skill_framework IF NOT EXISTS "
        f"FOR (n:{label(NodeKind.SKILL)}) ON (n.framework)"
    )
    out.append(
        "CREATE INDEX credgraph_occupation_code IF NOT EXISTS "
        f"FOR (n:{label(NodeKind.OCCUPATION)}) ON (n.code)"
    )
    out.append(
        f"CREATE INDEX credgraph_version_key IF NOT EXISTS "
        f"FOR (n:{VERSION}) ON (n.credential_id, n.seq)"
    )
    out.append(
        "CREATE INDEX credgraph_crawlrun_started IF NOT EXISTS "
        f"FOR (n:{label(NodeKind.CRAWL_RUN)}) ON (n.started_at)"
    )
    out.append(
        "CREATE INDEX credgraph_crawlrun_source IF NOT EXISTS "
        f"FOR (n:{label(NodeKind.CRAWL_RUN)}) ON (n.source_id)"
    )
    out.extend(POSTING_SCHEMA)
    out.append(version.SCHEMA)
    out.append(migrations.SCHEMA)
    out.append(
        f"CREATE CONSTRAINT credgraph_pathway_id IF NOT EXISTS FOR (n:{PATHWAY}) REQUIRE n.id IS UNIQUE"
    )
    for kind, name in FULLTEXT_INDEX.items():
        out.append(
            f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS "
            f"FOR (n:{label(kind)}) ON EACH [n.name, n.search_body] "
            f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{ANALYZER}'}}}}"
        )
    return out


CREATED_MEANWHILE = frozenset({
    "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
    "Neo.ClientError.Schema.IndexAlreadyExists",
    "Neo.ClientError.Schema.ConstraintAlreadyExists",
})  # fmt: skip


async def ensure_schema(
    driver: AsyncDriver, database: str | None, bookmarks: AsyncBookmarkManager
) -> None:
    """Create what is missing, then wait until every index is online. All of it on the
    leader (schema changes are writes), chained to the store's bookmarks."""
    have: set[str] = set()
    for show in ("SHOW INDEXES YIELD name", "SHOW CONSTRAINTS YIELD name"):
        result = await driver.execute_query(
            f"{show} RETURN collect(name) AS names",
            database_=database,
            bookmark_manager_=bookmarks,
        )
        have.update(result.records[0]["names"])
    missing = [s for s in statements() if _NAME.search(s).group(1) not in have]  # type: ignore[union-attr]
    for statement in missing:
        try:
            await driver.execute_query(statement, database_=database, bookmark_manager_=bookmarks)
        except ClientError as exc:
            # Replicas starting at once on a new database race to create the same rule;
            # IF NOT EXISTS does not cover one created meanwhile by another process.
            if exc.code not in CREATED_MEANWHILE:
                raise
    await driver.execute_query(
        "CALL db.awaitIndexes(300)", database_=database, bookmark_manager_=bookmarks
    )
