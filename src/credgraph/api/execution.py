"""The executor's one shortcut: plain leaf fields are read without the per-field machinery.

A page of 50 credentials with issuer and skills resolves about 1,900 fields, and about two
thirds of them are scalars read straight off a view (`name`, `durationHours`, `skills.id`).
For each one graphql-core builds a `GraphQLResolveInfo`, calls Strawberry's resolver wrapper,
checks twice for an awaitable and dispatches `complete_value` on the type, which together were
most of the server's CPU per page (measured with cProfile on `bench/peer_bench.py`'s query c).

`LeanExecutionContext` is passed to Strawberry as its `execution_context_class`, graphql-core's
supported hook for changing how fields execute. It overrides `execute_field` only for a field
Strawberry itself calls basic (`StrawberryField.is_basic_field`: no resolver, no field
extensions; Strawberry already skips `Info` and permission checks for those) whose type is a
scalar or enum: it reads the value the way Strawberry's basic path does
(`StrawberryField.get_result` with no info) and completes it with graphql-core's own
`complete_leaf_value` (the type's output coercion, Strawberry's enum handling included).
Anything else, and any value that is null or fails to serialize, goes to graphql-core's
`execute_field`, so errors, null propagation and located error paths stay in one place.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

# (the Strawberry field, its leaf type) when the shortcut applies to a field, else None.
_PlainLeaf = tuple[StrawberryField, GraphQLLeafType] | None


def plain_leaf(field_def: GraphQLField) -> _PlainLeaf:
    """The Strawberry field and leaf type of a basic scalar/enum field; None otherwise."""
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField) or not definition.is_basic_field:
        return None
    if field_def.args or field_def.resolve is None:
        return None
    leaf = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
    if not is_leaf_type(leaf):
        return None
    return definition, leaf


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with basic leaf fields read and serialized directly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per operation, by (type, field) name: a page meets about 20 distinct fields, so
        # working them out again per request is cheap and nothing outlives its schema.
        self.plain_leaves: dict[tuple[str, str], _PlainLeaf] = {}
        # A schema extension with a `resolve` hook must see every field: no shortcut then.
        manager = self.middleware_manager
        self.resolve_hooks = bool(manager is not None and manager.middlewares)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any = None,
    ) -> Any:
        name = field_details_list[0].node.name.value
        field_def = self.schema.get_field(parent_type, name)
        if field_def is not None and not self.resolve_hooks:
            key = (parent_type.name, name)
            try:
                shortcut = self.plain_leaves[key]
            except KeyError:
                shortcut = self.plain_leaves[key] = plain_leaf(field_def)
            if shortcut is not None:
                strawberry_field, leaf = shortcut
                try:
                    value = strawberry_field.get_result(source, info=None, args=[], kwargs={})
                    if value is not None and not self.is_awaitable(value):
                        return self.complete_leaf_value(leaf, value)
                except Exception:  # the full path below meets it again and reports it, located
                    pass
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
