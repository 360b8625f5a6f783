"""graphql-core's view of a Strawberry schema, for the checks that read the schema itself
(validation, the cost estimate, projections).

    core_schema(schema)   # a graphql-core GraphQLSchema, built once per distinct SDL

Strawberry keeps its graphql-core schema in a private attribute, so it is rebuilt here from the
schema's SDL (`Schema.as_str()`, public): the same types, fields, arguments and defaults, which
is all a check reads. Execution still runs on Strawberry's own schema. Every app builds its
own Strawberry schema (its extensions hold the app's state) with the same SDL, so the build
(several times the cost of printing the SDL) is shared by SDL: the result is only read.
"""

from __future__ import annotations

from functools import lru_cache
from weakref import WeakKeyDictionary

from graphql import GraphQLSchema, build_schema
from strawberry.schema.base import BaseSchema

_BUILT: WeakKeyDictionary[BaseSchema, GraphQLSchema] = WeakKeyDictionary()


def core_schema(schema: BaseSchema) -> GraphQLSchema:
    found = _BUILT.get(schema)
    if found is None:
        found = _BUILT[schema] = _from_sdl(schema.as_str())
    return found


@lru_cache(maxsize=4)  # one SDL in a running server; a few in tests that change the schema
def _from_sdl(sdl: str) -> GraphQLSchema:
    return build_schema(sdl)
