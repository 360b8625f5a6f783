"""The schema step that writes the partial indexes of `edges` with conditions SQLite tests
cheaply on every insert: `edges_credential_links` (credential-to-credential links, read by
the pathway search) and `edges_maybe_dangling` (links whose end may be missing, read by the
graph's counts).

`edges_credential_links` was created (schema step 4) `WHERE type IN (...)` of four types,
as `edges_maybe_dangling` was for a while before this step existed. SQLite
evaluates a partial index's condition for every row written to `edges`, and an IN list of
more than two constants is evaluated by building a small temporary index of the list, again
for every row: each such index cost about 0.024 ms per credential of four links written
(0.055 -> 0.078 ms with the second, measured on the crawl benchmark's catalog), for indexes
no skill or issuer link of a credential enters. The same condition written as equalities
joined by OR is tested in place and costs nothing measurable.

A query uses a partial index only when its WHERE clause implies the index's condition, so
the reads of these links (`pathways`, `graph_counts.DANGLING_COUNTS`) write the conditions
as they are here. The rows the indexes hold do not change, only how SQLite decides which
they are.

Its own step in `schema.MIGRATIONS` (step 12). A bulk load interrupted before this step ran
keeps the old definitions in `deferred_indexes`: they are dropped there, and the indexes
built here instead.
"""

from __future__ import annotations

# The four credential-to-credential link types, as the index's condition and as the reads'.
CREDENTIAL_LINKS = (
    "(type = 'PREPARES_FOR_CREDENTIAL' OR type = 'PART_OF' "
    "OR type = 'ADVANCED_STANDING' OR type = 'PUBLISHED_PATHWAY')"
)
# The link types whose end may not be stored (yet), likewise.
MAYBE_DANGLING = "(type = 'PART_OF' OR type = 'REQUIRES' OR type = 'BROADER' OR type = 'SAME_AS')"

EDGES_CREDENTIAL_LINKS = f"""
DROP INDEX IF EXISTS edges_credential_links;
CREATE INDEX edges_credential_links ON edges(type, src, dst) WHERE {CREDENTIAL_LINKS};
DROP INDEX IF EXISTS edges_maybe_dangling;
CREATE INDEX edges_maybe_dangling ON edges(type, src, dst) WHERE {MAYBE_DANGLING};
DELETE FROM deferred_indexes WHERE name IN ('edges_credential_links', 'edges_maybe_dangling')
"""
