"""Source: a configured catalog that crawls read."""

from __future__ import annotations

import strawberry

from credgraph.model.crawl import Source as SourceModel


@strawberry.type(description="A configured catalog: where it is, its format, schedule and terms.")
class Source:
    id: strawberry.ID = strawberry.field(description="The source's stable id from sources.toml.")
    name: str | None = strawberry.field(description="A human name, when configured.")
    format: str = strawberry.field(
        description="The catalog's format (openbadges, ctdl, schemaorg, credly, case...)."
    )
    urls: list[str] = strawberry.field(description="Where crawls start.")
    schedule: str | None = strawberry.field(description="Cron schedule (UTC), when set.")
    every: str | None = strawberry.field(
        description="Interval between crawls (such as 6h), when set instead of a schedule."
    )
    licence: str | None = strawberry.field(
        description="Licence or terms of use of the catalog, when known."
    )

    @classmethod
    def from_model(cls, source: SourceModel) -> Source:
        return cls(
            id=strawberry.ID(source.id),
            name=source.name,
            format=source.format,
            urls=list(source.urls),
            schedule=source.schedule,
            every=source.every,
            licence=source.licence,
        )
