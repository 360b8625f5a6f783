"""CredentialSortField: the orders a credential page can be read in."""

from __future__ import annotations

import enum

import strawberry

from credgraph.store.query import SortField


@strawberry.enum(description="What to order credentials by. Ties are broken by id.")
class CredentialSortField(enum.Enum):
    NAME = strawberry.enum_value("NAME", description="Name, case-insensitive.")
    COST = strawberry.enum_value(
        "COST", description="Cost amount, whatever the currency; unknown costs come last."
    )
    HOURS = strawberry.enum_value(
        "HOURS", description="Duration in hours; unknown durations come last."
    )
    TRANSPARENCY = strawberry.enum_value("TRANSPARENCY", description="Transparency score.")
    SKILL_COUNT = strawberry.enum_value(
        "SKILL_COUNT", description="How many skills it teaches or assesses."
    )
    OCCUPATION_COUNT = strawberry.enum_value(
        "OCCUPATION_COUNT", description="How many occupations it prepares for."
    )
    LAST_SEEN = strawberry.enum_value(
        "LAST_SEEN", description="When a crawl last found it in its source."
    )

    def to_model(self) -> SortField:
        return SortField(self.name)
