"""CredentialChange: one version step of a credential."""

from __future__ import annotations

from datetime import datetime

import strawberry

from credgraph.api.types.field_change import FieldChange
from credgraph.model.views import CredentialChange as CredentialChangeModel


@strawberry.type(description="A change a crawl saw in a credential: when, and which fields.")
class CredentialChange:
    changed_at: datetime = strawberry.field(description="When the change was recorded.")
    changes: list[FieldChange] = strawberry.field(description="The fields that changed.")

    @classmethod
    def from_model(cls, change: CredentialChangeModel) -> CredentialChange:
        return cls(
            changed_at=change.changed_at,
            changes=[FieldChange.from_model(c) for c in change.changes],
        )
