"""Duration: how long a credential takes, as published, and the study hours it stands for."""

from __future__ import annotations

import strawberry

from credgraph.model.values import Duration as DurationModel


@strawberry.type(
    description=(
        "How long a credential takes, as its publisher wrote it, with the study hours that "
        "stands for (a year is 1,500-1,800 hours, 60 ECTS of 25-30 hours; a month a twelfth "
        "of that; a week 40 hours; a day 8; hours as stated)."
    )
)
class Duration:
    text: str = strawberry.field(description="The duration as published (P4Y, 10-12 hours...).")
    iso: str | None = strawberry.field(
        description="The ISO 8601 duration when one was published; a range reads min/max."
    )
    min_hours: float | None = strawberry.field(
        description="The fewest study hours it stands for; null when the text gives none."
    )
    max_hours: float | None = strawberry.field(
        description="The most study hours it stands for (durationHours); null when unknown."
    )

    @classmethod
    def from_model(cls, duration: DurationModel) -> Duration:
        return cls(
            text=duration.text,
            iso=duration.iso,
            min_hours=duration.min_hours,
            max_hours=duration.max_hours,
        )
