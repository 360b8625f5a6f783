"""JobPostingFilter: which job postings to list."""

from __future__ import annotations

import strawberry

from credgraph.api.arguments import (
    InvalidArgument,
    canonical_key,
    node_keys,
    occupation_keys,
    unset_to_none,
)
from credgraph.store.jobs import PostingFilter

MAX_FILTER_IDS = 100


@strawberry.input(description="Which job postings to list; every condition given must hold.")
class JobPostingFilter:
    text: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "Words in the title, employer, skills or description; all must match (of a "
            "longer text, the first 16)."
        ),
    )
    occupations: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Postings for any of these occupations (ids, URIs or O*NET-SOC codes, "
        "at most 100).",
    )
    skills: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Postings requiring any of these skills (ids or URIs, at most 100).",
    )
    employer: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Postings of this organisation (its id or URL)."
    )
    active: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="true: open postings only; false: closed or stale ones only.",
    )

    def __post_init__(self) -> None:
        unset_to_none(self)

    def to_model(self) -> PostingFilter:
        for name in ("occupations", "skills"):
            if len(getattr(self, name) or ()) > MAX_FILTER_IDS:
                raise InvalidArgument(f"filter.{name}: at most {MAX_FILTER_IDS} ids")
        return PostingFilter(
            text=self.text,
            occupations=tuple(k for i in self.occupations or () for k in occupation_keys(str(i))),
            skills=tuple(k for i in self.skills or () for k in node_keys(str(i))),
            employer=canonical_key(str(self.employer)) if self.employer is not None else None,
            active=self.active,
        )
