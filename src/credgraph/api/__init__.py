"""The GraphQL API: `build_schema()` is the one schema, `make_context(store)` the context of
one request (store, DataLoaders, page-size cap), `execute()` runs an operation in-process."""

from credgraph.api.context import Context, make_context
from credgraph.api.schema import build_schema, execute

__all__ = ["Context", "build_schema", "execute", "make_context"]
