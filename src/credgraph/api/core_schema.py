"""graphql-core's view of a Strawberry schema, for the checks that read the schema itself
(validation, the cost estimate, projections).

    core_schema(schema)   # a graphql-core GraphQLSchema, built once per Strawberry schema

Strawberry keeps its graphql-core schema in a private attribute, so it is rebuilt here from the
schema's SDL (`Schema.as_str()`, public): the same types, fields, arguments and defaults, which
is all a check reads. Execution still runs on Strawberry's own schema.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from graphql import GraphQLSchema, build_schema
from strawberry.schema.base import BaseSchema

_BUILT: WeakKeyDictionary[BaseSchema, GraphQLSchema] = WeakKeyDictionary()


def core_schema(schema: BaseSchema) -> GraphQLSchema:
    found = _BUILT.get(schema)
    if found is None:
        found = _BUILT[schema] = build_schema(schema.as_str())
    return found
