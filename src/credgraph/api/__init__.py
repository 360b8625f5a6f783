"""The GraphQL API. `build_schema()` is the one schema; the HTTP app arrives with `serve`."""

from credgraph.api.schema import build_schema, execute

__all__ = ["build_schema", "execute"]
