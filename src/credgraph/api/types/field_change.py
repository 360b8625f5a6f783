"""FieldChange: one field of a credential, before and after a change."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from credgraph.model.views import FieldChange as FieldChangeModel


@strawberry.type(description="One changed field of a credential, its old and new values.")
class FieldChange:
    field: str = strawberry.field(description="The field's name, such as cost or skills.")
    old: JSON | None = strawberry.field(description="The value before the change (JSON).")
    new: JSON | None = strawberry.field(description="The value after the change (JSON).")

    @classmethod
    def from_model(cls, change: FieldChangeModel) -> FieldChange:
        return cls(field=change.field, old=change.old, new=change.new)
