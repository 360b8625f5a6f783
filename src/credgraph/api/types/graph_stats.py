"""GraphStats: how many of each kind of node the graph holds."""

from __future__ import annotations

import strawberry

from credgraph.model.views import GraphStats as GraphStatsModel


@strawberry.type(description="How many of each kind of node the graph holds.")
class GraphStats:
    issuers: int = strawberry.field(description="Awarding bodies.")
    credentials: int = strawberry.field(
        description="Credential definitions (badges, certificates...)."
    )
    skills: int = strawberry.field(
        description="Skills and competencies, from frameworks or issuers."
    )
    occupations: int = strawberry.field(description="Occupations (O*NET-SOC, ESCO, ISCO...).")
    relationships: int = strawberry.field(description="Relationships between those nodes.")
    stale_credentials: int = strawberry.field(
        description="Credentials no longer seen in their source for several crawls."
    )
    sources: int = strawberry.field(description="Configured sources crawled so far.")
    crawl_runs: int = strawberry.field(description="Crawl runs recorded.")

    @classmethod
    def from_model(cls, stats: GraphStatsModel) -> GraphStats:
        return cls(
            issuers=stats.issuers,
            credentials=stats.credentials,
            skills=stats.skills,
            occupations=stats.occupations,
            relationships=stats.relationships,
            stale_credentials=stats.stale_credentials,
            sources=stats.sources,
            crawl_runs=stats.crawl_runs,
        )
