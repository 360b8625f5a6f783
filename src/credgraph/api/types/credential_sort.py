"""CredentialSort: the order of a credential page."""

from __future__ import annotations

import strawberry

from credgraph.api.types.credential_sort_field import CredentialSortField
from credgraph.api.types.sort_direction import SortDirection
from credgraph.store.query import CredentialSort as CredentialSortModel


@strawberry.input(description="How to order credentials; ties are broken by id.")
class CredentialSort:
    field: CredentialSortField = strawberry.field(description="What to order by.")
    direction: SortDirection | None = strawberry.field(
        default=SortDirection.ASC,
        description="Ascending (the default, also for null) or descending.",
    )

    def to_model(self) -> CredentialSortModel:
        return CredentialSortModel(
            field=self.field.to_model(), descending=self.direction is SortDirection.DESC
        )
