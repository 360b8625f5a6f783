"""The schema step that indexes credentials by type: `credentials_type`.

A page filtered by type is read in its sort order from that sort's index, which stops after the
page's rows; the page's bounded `totalCount` has no order to keep and, without this index,
read every entry of the sort index (or of `credentials_cost`) that the other conditions
passed, testing each entry's type: about 40,000 entries for one type under a cost bound at
100k credentials, for 5,000 matches. Keyed by type and then the other flat filter columns,
the count reads the wanted types' entries alone (`pages.count_matches`), and tests its other
conditions in the index.

The page scan keeps its sort index: it writes its type condition as `+c.type`, which SQLite
never answers from an index (`pages.where_clause`).

Its own step in `schema.MIGRATIONS`, appended last: a branch adding another step renumbers
by moving this string, nothing else depends on its position.
"""

from __future__ import annotations

# Column order: equality on type first, then the range a count most often has (cost), then
# the rest of the flat filter so that every flat condition is tested inside the index.
CREDENTIALS_TYPE_INDEX = """
CREATE INDEX IF NOT EXISTS credentials_type
    ON credentials(type, cost_amount, duration_hours, transparency, stale);
"""
