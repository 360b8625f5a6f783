"""Calling a Strawberry resolver from a compiled plan the way Strawberry's own wrapper calls it,
without the wrapper's per-call layers.

    call = ResolverCall.of(graphql_schema, field_definition)   # None: use definition.resolve
    value = call(source, info, arguments)    # arguments as graphql-core coerced them

For each resolved value Strawberry builds an `Info`, converts the GraphQL arguments to Python
(input types to their classes, enums to members), works out which of `self`, `root`, `parent`
and `info` the function takes, chains the field's extensions, and wraps the call in an async
function when the field is async: a dozen calls that cost more than many resolvers themselves
(a third of a single-credential lookup's Python time). Here the parameters are worked out once
per field, the converted arguments and the `Info` once per field and request (`Prepared`),
and the resolver function is called directly; what it returns (a value or a coroutine) is
completed by the plan.

Only plain fields qualify: a field with extensions (permissions are extensions) or a schema
with exception handlers keeps Strawberry's wrapper, whose behaviour those change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLField, GraphQLResolveInfo, GraphQLSchema
from strawberry.types.arguments import convert_arguments
from strawberry.types.field import StrawberryField


@dataclass(frozen=True, slots=True)
class Prepared:
    """A field's resolver for one request, with its `Info` and converted arguments bound."""

    function: Callable[..., Any]
    kwargs: dict[str, Any]
    takes_self: bool  # the source goes first
    source_names: tuple[str, ...]  # and to these keywords (`root`, `parent`)

    def __call__(self, source: Any) -> Any:
        kwargs = self.kwargs
        if self.source_names:
            kwargs = {**kwargs, **dict.fromkeys(self.source_names, source)}
        return self.function(source, **kwargs) if self.takes_self else self.function(**kwargs)


@dataclass(frozen=True, slots=True)
class ResolverCall:
    field: StrawberryField
    function: Callable[..., Any]
    info_class: type
    config: Any  # StrawberryConfig
    scalar_registry: Mapping[object, Any]
    takes_self: bool
    source_names: tuple[str, ...]  # `root` / `parent` parameters
    info_name: str | None

    @classmethod
    def of(cls, schema: GraphQLSchema, definition: GraphQLField) -> ResolverCall | None:
        """The direct call for `definition`'s resolver, or None when Strawberry must call it."""
        strawberry_schema = getattr(schema, "_strawberry_schema", None)
        field = (definition.extensions or {}).get("strawberry-definition")
        if strawberry_schema is None or not isinstance(field, StrawberryField):
            return None
        resolver = field.base_resolver
        if resolver is None or field.extensions or strawberry_schema.exception_handlers:
            return None
        if not callable(resolver.wrapped_func):
            return None
        config = strawberry_schema.config
        source_names = tuple(
            p.name for p in (resolver.root_parameter, resolver.parent_parameter) if p is not None
        )
        info = resolver.info_parameter
        return cls(
            field, resolver.wrapped_func, config.info_class, config,
            strawberry_schema.schema_converter.scalar_registry,
            resolver.self_parameter is not None, source_names,
            info.name if info is not None else None,
        )  # fmt: skip

    def prepare(
        self, raw_info: Callable[[], GraphQLResolveInfo[Any]], arguments: dict[str, Any]
    ) -> Prepared:
        """Bind the request's `Info` and converted arguments (once per field and request);
        `raw_info` is asked only when the resolver takes `info` or has arguments."""
        if self.info_name is None and not self.field.arguments:
            return Prepared(self.function, {}, self.takes_self, self.source_names)
        info = self.info_class(_raw_info=raw_info(), _field=self.field)
        kwargs = convert_arguments(
            arguments, self.field.arguments, scalar_registry=self.scalar_registry,
            config=self.config, info=info,
        )  # fmt: skip
        if self.info_name is not None:
            kwargs[self.info_name] = info
        return Prepared(self.function, kwargs, self.takes_self, self.source_names)
