"""CredentialFilter: conditions a credential page must meet; each list holds at most
`MAX_LISTED` (100) items."""

from __future__ import annotations

import strawberry

from credgraph.api.arguments import (
    MAX_LISTED,
    canonical_key,
    canonical_occupation,
    listed,
    unset_to_none,
)
from credgraph.api.types.credential_type import CredentialType
from credgraph.store.query import CredentialFilter as CredentialFilterModel


@strawberry.input(description="Conditions on credentials; every one given must hold.")
class CredentialFilter:
    text: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "Words in the name, description or keywords (all of them; of a longer text, the "
            "first 16)."
        ),
    )
    issuer: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Only this issuer's credentials (its id, CTID or URI).",
    )
    types: list[CredentialType] | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"Only credentials of these kinds (at most {MAX_LISTED}).",
    )
    skills: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            f"Only credentials teaching or assessing all of these skills (at most {MAX_LISTED})."
        ),
    )
    occupations: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "Only credentials preparing for all of these occupations (ids or SOC codes; "
            f"at most {MAX_LISTED})."
        ),
    )
    max_cost: float | None = strawberry.field(
        default=strawberry.UNSET,
        description="At most this cost, in any currency (no exchange rates are applied).",
    )
    max_hours: float | None = strawberry.field(
        default=strawberry.UNSET, description="At most this many hours of workload."
    )
    min_transparency: float | None = strawberry.field(
        default=strawberry.UNSET, description="A transparency score of at least this (0-100)."
    )
    exclude_stale: bool = strawberry.field(
        default=False, description="Leave out credentials their source no longer lists."
    )

    def __post_init__(self) -> None:
        unset_to_none(self)
        listed(self.types, "filter.types")
        listed(self.skills, "filter.skills")
        listed(self.occupations, "filter.occupations")

    def to_model(self) -> CredentialFilterModel:
        return CredentialFilterModel(
            text=self.text,
            issuer=canonical_key(self.issuer) if self.issuer is not None else None,
            types=tuple(t.to_model() for t in self.types or ()),
            skills=tuple(canonical_key(s) for s in self.skills or ()),
            occupations=tuple(canonical_occupation(o) for o in self.occupations or ()),
            max_cost=self.max_cost,
            max_hours=self.max_hours,
            min_transparency=self.min_transparency,
            exclude_stale=self.exclude_stale,
        )
