"""The executor's one shortcut: plain leaf fields are read without the per-field machinery.

A page of 50 credentials with issuer and skills resolves about 1,900 fields, and about two
thirds of them are scalars read straight off a view (`name`, `durationHours`, `skills.id`).
For each one graphql-core builds a `GraphQLResolveInfo`, calls Strawberry's resolver wrapper,
checks twice for an awaitable and dispatches `complete_value` on the type, which together were
most of the server's CPU per page (measured with cProfile on `bench/peer_bench.py`'s query c).

`LeanExecutionContext` is passed to Strawberry as its `execution_context_class`, graphql-core's
supported hook for changing how fields execute. Its `execute_fields` completes, before handing
the rest of an object's fields to graphql-core, each field Strawberry itself calls basic (`StrawberryField.is_basic_field`: no resolver, no field
extensions; Strawberry already skips `Info` and permission checks for those) whose type is a
scalar or enum: it reads the value the way Strawberry's basic path does
(`StrawberryField.get_result` with no info) and completes it with graphql-core's own
`complete_leaf_value` (the type's output coercion, Strawberry's enum handling included).
Anything else, and any value that is null or fails to complete, goes to graphql-core's
`execute_fields` with the object's other fields, so errors, null propagation and located
error paths stay in one place; the two parts are joined in the selection's order.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    is_leaf_type,
)
from graphql.execution.collect_fields import GroupedFieldSet
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

    def shortcut(self, parent_type: GraphQLObjectType, name: str) -> _PlainLeaf:
        key = (parent_type.name, name)
        try:
            return self.plain_leaves[key]
        except KeyError:
            field_def = self.schema.get_field(parent_type, name)
            found = self.plain_leaves[key] = plain_leaf(field_def) if field_def else None
            return found

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        if self.resolve_hooks:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        done: dict[str, Any] = {}
        rest: GroupedFieldSet = {}
        for response_name, field_details_list in grouped_field_set.items():
            found = self.shortcut(parent_type, field_details_list[0].node.name.value)
            if found is not None:
                strawberry_field, leaf = found
                try:
                    value = strawberry_field.get_result(source_value, info=None, args=[], kwargs={})
                    if value is not None and not self.is_awaitable(value):
                        done[response_name] = self.complete_leaf_value(leaf, value)
                        continue
                except Exception:  # graphql-core meets it again below and reports it, located
                    pass
            rest[response_name] = field_details_list
        if not rest:
            return done
        executed = super().execute_fields(parent_type, source_value, path, rest, position_context)
        if isinstance(executed, dict):
            return merged(grouped_field_set, done, executed)
        return self.merged_later(grouped_field_set, done, executed)

    @staticmethod
    async def merged_later(
        order: GroupedFieldSet, done: dict[str, Any], executed: Awaitable[dict[str, Any]]
    ) -> dict[str, Any]:
        return merged(order, done, await executed)


def merged(
    order: GroupedFieldSet, done: dict[str, Any], executed: dict[str, Any]
) -> dict[str, Any]:
    """Both parts of an object's fields, in the order the selection names them."""
    if not done:
        return executed
    both = {**done, **executed}
    return {name: both[name] for name in order if name in both}
