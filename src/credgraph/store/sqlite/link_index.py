"""The schema step that writes the partial index of credential-to-credential links,
`edges_credential_links`, with a condition SQLite tests cheaply on every insert.

The index was created (schema step 4) `WHERE type IN (...)` of four types. SQLite evaluates
a partial index's condition for every row written to `edges`, and an IN list of more than
two constants is evaluated by building a small temporary index of the list, again for every
row: that was a third of the cost of inserting a link (0.024 of 0.060 ms per credential of
four links, measured on the crawl benchmark's catalog), for an index no skill or issuer link
ever enters. The same condition written as equalities joined by OR is tested in place and
costs nothing measurable.

A query uses a partial index only when its WHERE clause implies the index's condition, so
the reads of these links (`pathways`) write `CREDENTIAL_LINKS` as it is here. The rows the
index holds do not change, only how SQLite decides which they are.

Its own step in `schema.MIGRATIONS` (step 13). A bulk load interrupted
before this step ran keeps the old definition in `deferred_indexes`: it is dropped there, and
the index built here instead.
"""

from __future__ import annotations

# The four credential-to-credential link types, as the index's condition and as the reads'.
CREDENTIAL_LINKS = (
    "(type = 'PREPARES_FOR_CREDENTIAL' OR type = 'PART_OF' "
    "OR type = 'ADVANCED_STANDING' OR type = 'PUBLISHED_PATHWAY')"
)

EDGES_CREDENTIAL_LINKS = f"""
DROP INDEX IF EXISTS edges_credential_links;
CREATE INDEX edges_credential_links ON edges(type, src, dst) WHERE {CREDENTIAL_LINKS};
DELETE FROM deferred_indexes WHERE name = 'edges_credential_links'
"""
