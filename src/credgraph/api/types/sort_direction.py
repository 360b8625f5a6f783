"""SortDirection: ascending or descending."""

from __future__ import annotations

import enum

import strawberry


@strawberry.enum(description="Which way a sort runs.")
class SortDirection(enum.Enum):
    ASC = strawberry.enum_value("ASC", description="Smallest (or A) first.")
    DESC = strawberry.enum_value("DESC", description="Largest (or Z) first.")
