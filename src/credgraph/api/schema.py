"""The GraphQL schema and in-process execution (the CLI's `graphql` command and tests)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import ExecutionResult, Info

from credgraph.api.types.graph_stats import GraphStats
from credgraph.store.base import GraphStore


def _store(info: Info) -> GraphStore:
    store: GraphStore = info.context["store"]
    return store


@strawberry.type(description="Read the credential graph.")
class Query:
    @strawberry.field(description="Counts of issuers, credentials, skills, occupations and links.")
    async def stats(self, info: Info) -> GraphStats:
        return GraphStats.from_model(await _store(info).stats())


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query)


async def execute(
    store: GraphStore, query: str, variables: dict[str, Any] | None = None
) -> ExecutionResult:
    """Run one operation against `store` without HTTP."""
    return await build_schema().execute(
        query, variable_values=variables, context_value={"store": store}
    )
