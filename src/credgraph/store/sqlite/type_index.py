"""The schema step that indexes credentials by type: `credentials_type` and
`credentials_type_name`.

A page filtered by type is read in its sort order from that sort's index, which stops after the
page's rows; the page's bounded `totalCount` has no order to keep and, without a type index,
read every entry of the sort index (or of `credentials_cost`) that the other conditions
passed, testing each entry's type: about 40,000 entries for one type under a cost bound at
100k credentials, for 5,000 matches. `credentials_type`, keyed by type and then the other flat
filter columns, lets the count read the wanted types' entries alone (`pages.count_matches`),
and test its other conditions in the index.

In name order, the default, a page of one type scanned the name index past every credential
of the other types (13,000-19,000 entries for a page of 50 at 100k, 1.4-2.4 ms):
`credentials_type_name` holds each type's credentials in name order with the flat filter
columns, so that page seeks to its type and reads little more than its own rows. The count
keeps the narrow index: the same count over this wider one reads several times the pages.

Any other scan keeps its sort index: it writes its type condition as `+c.type`, which SQLite
never answers from an index (`pages.where_clause`).

Its own step in `schema.MIGRATIONS`, appended last: a branch adding another step renumbers
by moving this string, nothing else depends on its position.
"""

from __future__ import annotations

# The sort column `credentials_type_name` keeps in order within a type.
ORDERED_WITHIN_TYPE = "name_key"

# Column order: equality on type first, then the range a count most often has (cost), then
# the rest of the flat filter so that every flat condition is tested inside the index.
CREDENTIALS_TYPE_INDEXES = f"""
CREATE INDEX IF NOT EXISTS credentials_type
    ON credentials(type, cost_amount, duration_hours, transparency, stale);
CREATE INDEX IF NOT EXISTS credentials_type_name
    ON credentials(type, {ORDERED_WITHIN_TYPE}, id, cost_amount, duration_hours, transparency, stale);
"""
