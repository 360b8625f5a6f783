"""The executor's shortcuts: plain values are completed without the per-field machinery.

A page of 50 credentials with issuer and skills resolves about 1,900 fields, and most of them
are scalars read straight off a view (`name`, `durationHours`, `skills.id`) or small objects
made only of such scalars (`skills { id name framework }`, `cost { amount currency }`). For
each one graphql-core builds a `GraphQLResolveInfo`, calls Strawberry's resolver wrapper,
checks for awaitables and dispatches `complete_value` on the type, which together were most of
the server's CPU per page (cProfile of `bench/peer_bench.py`'s query c, `bench/api_bench.py
--profile-only`).

`LeanExecutionContext` is passed to Strawberry as its `execution_context_class`, graphql-core's
supported hook for changing how fields execute. Three overrides, one rule:

- `execute_fields` completes, before handing the rest of an object's fields to graphql-core,
  each field Strawberry itself calls basic (`StrawberryField.is_basic_field`: no resolver, no
  field extensions; Strawberry already skips `Info` and permission checks for those) whose
  type is a scalar or enum, reading it as Strawberry's basic path does (the field's
  `default_resolver` with its `python_name`, what `StrawberryField.get_result` calls) and
  completing it with graphql-core's own `complete_leaf_value` (the type's output coercion,
  Strawberry's enum handling included), except a value that coercion returns as it is
  (a `str` for a built-in `String` or `ID`, a `bool` for `Boolean`, a finite `float` for
  `Float`), and remembering what an enum member completes to;
- the same for a basic field holding an object or a list of objects whose selection in the
  operation is only such leaves, or basic fields flat in turn (`FlatObjects`: a page's
  `edges { cursor node { id issuer { name } skills { id } } }` is one, completed without a
  call of graphql-core per edge or per credential);
- `complete_value` does the same for a resolver's list of such objects (a credential's
  skills, from the loaders).

Anything else, and any value that is null where the schema says it may not be, fails to
complete, or is awaitable, goes to graphql-core's own methods with the same arguments, so
errors, null propagation and located error paths stay in one place; the parts of an object
are joined in the selection's order. A schema extension with a `resolve` hook turns the
shortcuts off (it must see every field).
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from math import isfinite
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    FieldNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    OperationDefinitionNode,
    get_nullable_type,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

_MISS = object()  # a value the shortcut leaves to graphql-core
# Built-in scalars whose output coercion returns a value of one Python type as it is:
# graphql-core's `serialize_string` and `serialize_id` a `str`, `serialize_boolean` a `bool`,
# `serialize_float` a finite `float` (`float(value)`, the same value): such a value needs no
# call to complete. (Int is left out: its coercion checks the 32-bit range.)
_AS_IS = ((GraphQLString, str), (GraphQLID, str), (GraphQLBoolean, bool), (GraphQLFloat, float))
_PythonType = type  # inside Leaf, its field `type` hides the builtin


@dataclass(frozen=True, slots=True)
class Leaf:
    """How a basic scalar or enum field is read and completed: Strawberry's resolver for
    basic fields (`StrawberryField.default_resolver`, the config's, called with the field's
    `python_name` as `StrawberryField.get_result` does) and the leaf type's coercion."""

    read: Callable[[Any, str], Any]
    python_name: str
    type: GraphQLLeafType
    as_is: _PythonType | None  # the Python type its coercion returns as it is, if any
    # An enum's completed value per member, filled as members are met (None: not an enum).
    # Strawberry's coercion looks a member up among the type's values on every call; what
    # it returns depends on the member and the schema alone, and an enum has few members.
    enum_names: dict[Enum, Any] | None

    def value(self, source: Any) -> Any:
        return self.read(source, self.python_name)


_PlainLeaf = Leaf | None  # None: the shortcut does not apply to the field


def basic_field(field_def: GraphQLField) -> StrawberryField | None:
    """The Strawberry field behind a schema field when Strawberry calls it basic (no resolver,
    no field extensions) and it takes no arguments; None otherwise."""
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField) or not definition.is_basic_field:
        return None
    if field_def.args or field_def.resolve is None:
        return None
    return definition


def plain_leaf(field_def: GraphQLField) -> _PlainLeaf:
    """How to read and complete a basic scalar/enum field; None for any other field."""
    definition = basic_field(field_def)
    leaf = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
    if definition is None or not is_leaf_type(leaf) or definition.python_name is None:
        return None
    return Leaf(
        definition.default_resolver,
        definition.python_name,
        leaf,
        next((kind for t, kind in _AS_IS if leaf is t), None),
        {} if isinstance(leaf, GraphQLEnumType) else None,
    )


@dataclass(frozen=True, slots=True)
class FlatObjects:
    """A field holding an object, or a list of objects, whose selection in this operation is
    only plain leaves (`skills { id name framework }`, `cost { amount currency }`) or basic
    fields that are flat in turn (a page's `edges { cursor node { id cost { amount } } }`):
    completed as dicts directly, without graphql-core's per-object and per-field calls.
    `field` is set when the field itself is basic (its value is read here too)."""

    field: StrawberryField | None
    nullable: bool
    listed: bool
    items_nullable: bool
    # response name, how it is read and completed (a leaf, or a basic field flat in turn),
    # nullable
    leaves: tuple[tuple[str, Leaf | FlatObjects, bool], ...]


_PLAIN_LEAVES: WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], _PlainLeaf]] = (
    WeakKeyDictionary()
)
_SelectionKey = tuple[int, int, tuple[int, ...]]
_OperationSelections = dict[_SelectionKey, tuple[tuple[FieldNode, ...], FlatObjects | None]]
# Flat selections per schema, then per operation node by identity, kept as long as that node
# is: while the checked-document cache keeps its document, or a request runs it (a finalizer
# drops them). They were kept 4,096 at a time whatever the documents, and a selection's nodes
# keep their document's whole text (a node's location holds its tokens and source): 4,096
# documents padded with a comment to the 1 MB a request may carry held 4 GB. By identity,
# not as a weak key: graphql-core's nodes compare by content, so a padded copy of a cached
# query would have added its selections, and its text, to the cached one's for as long.
_FLAT_SELECTIONS: WeakKeyDictionary[GraphQLSchema, dict[int, _OperationSelections]] = (
    WeakKeyDictionary()
)


def _selections_of(
    schema: GraphQLSchema, operation: OperationDefinitionNode
) -> _OperationSelections:
    """The flat selections remembered for `operation` (this very node), made on first use."""
    by_operation = _FLAT_SELECTIONS.setdefault(schema, {})
    key = id(operation)
    found = by_operation.get(key)
    if found is None:
        # An id is reused only once its object is gone, and the finalizer has run by then.
        found = by_operation[key] = {}
        weakref.finalize(operation, by_operation.pop, key, None)
    return found


def selected_nodes(field_details_list: FieldDetailsList) -> tuple[FieldNode, ...] | None:
    """The field nodes of a selection that could depend on its document alone: none is
    deferred and each has a selection; None otherwise. Whether it does also needs
    `_fields_only` of each node, a walk of its subtree: the document is immutable, so that
    is asked once per node set, when it is not remembered yet (`flat_for`)."""
    nodes = []
    for details in field_details_list:
        if details.defer_usage is not None or details.node.selection_set is None:
            return None
        nodes.append(details.node)
    return tuple(nodes)


def _fields_only(node: FieldNode) -> bool:
    """Whether every selection below `node`, at any depth, is a field without directives."""
    pending = [node]
    while pending:
        current = pending.pop()
        if current.selection_set is None:
            continue
        for selection in current.selection_set.selections:
            if not isinstance(selection, FieldNode) or selection.directives:
                return False
            pending.append(selection)
    return True


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with plain values completed directly (module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Plain leaves by (type, field) name depend on the schema alone: worked out once per
        # schema (kept as long as it is); flat selections per operation, by field list.
        self.plain_leaves = _PLAIN_LEAVES.setdefault(self.schema, {})
        self.flat_selections = _selections_of(self.schema, self.operation)
        self.flat_fields: dict[int, tuple[FieldDetailsList, FlatObjects | None]] = {}
        self.flat_results: dict[int, tuple[FieldDetailsList, FlatObjects | None]] = {}
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

    def flat_objects(
        self, parent_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> FlatObjects | None:
        # graphql-core memoizes a selection's subfields on the identity of its field list,
        # which is the same list for every item of a page: so is this.
        key = id(field_details_list)
        try:
            return self.flat_fields[key][1]
        except KeyError:
            field_def = self.schema.get_field(parent_type, field_details_list[0].node.name.value)
            found = (
                self.flat_for(field_def.type, field_details_list, basic_field(field_def))
                if field_def is not None
                else None
            )
            self.flat_fields[key] = (field_details_list, found)
            return found

    def flat_for(
        self,
        field_type: Any,
        field_details_list: FieldDetailsList,
        definition: StrawberryField | None,
    ) -> FlatObjects | None:
        """`find_flat`, remembered across requests for selections that depend on their
        document alone (no fragment or directive at any depth below it, `_fields_only`):
        the checked-document cache hands every request of one query the same nodes, and
        working a selection out was about a tenth of a comparison's CPU."""
        nodes = selected_nodes(field_details_list)
        if nodes is None:
            return self.find_flat(field_type, field_details_list, definition)
        key = (id(field_type), id(definition), tuple(id(n) for n in nodes))
        known = self.flat_selections.get(key)
        if known is not None and all(a is b for a, b in zip(known[0], nodes, strict=True)):
            return known[1]  # only document-only selections are kept
        found = self.find_flat(field_type, field_details_list, definition)
        if not all(_fields_only(n) for n in nodes):  # it may depend on the variables
            return found
        # The nodes are kept with the answer, so their ids are not reused while it is kept
        # (a fragment's nodes are not the operation's own).
        self.flat_selections[key] = (nodes, found)
        return found

    def find_flat(
        self,
        field_type: Any,
        field_details_list: FieldDetailsList,
        definition: StrawberryField | None,
    ) -> FlatObjects | None:
        nullable = not isinstance(field_type, GraphQLNonNull)
        inner: Any = get_nullable_type(field_type)
        listed = isinstance(inner, GraphQLList)
        items_nullable = True
        if listed:
            items_nullable = not isinstance(inner.of_type, GraphQLNonNull)
            inner = get_nullable_type(inner.of_type)
        if not isinstance(inner, GraphQLObjectType) or inner.is_type_of is not None:
            return None
        collected = self.collect_subfields(inner, field_details_list)
        if collected.new_defer_usages or collected.forbidden_directive_instances:
            return None
        leaves: list[tuple[str, Leaf | FlatObjects, bool]] = []
        for response_name, sub in collected.grouped_field_set.items():
            sub_def = self.schema.get_field(inner, sub[0].node.name.value)
            if sub_def is None:
                return None
            found: Leaf | FlatObjects | None = self.shortcut(inner, sub[0].node.name.value)
            if found is None:
                # A basic field holding objects that are flat in turn (read by its field).
                sub_basic = basic_field(sub_def)
                if sub_basic is None:
                    return None
                found = self.find_flat(sub_def.type, sub, sub_basic)
                if found is None:
                    return None
            leaves.append((response_name, found, not isinstance(sub_def.type, GraphQLNonNull)))
        return FlatObjects(definition, nullable, listed, items_nullable, tuple(leaves))

    def complete_value(
        self,
        return_type: Any,
        field_details_list: FieldDetailsList,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        # A resolver's list of objects (a credential's skills, loaded): completed whole when
        # its selection is plain leaves and every value is.
        if isinstance(result, list | tuple) and not self.resolve_hooks:
            key = id(field_details_list)
            try:
                flat = self.flat_results[key][1]
            except KeyError:
                flat = self.flat_for(return_type, field_details_list, None)
                self.flat_results[key] = (field_details_list, flat)
            if flat is not None and flat.listed:
                completed = self.flat_list(flat, result)
                if completed is not _MISS:
                    return completed
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def complete_flat(self, flat: FlatObjects, source: Any) -> Any:
        """The field's value as graphql-core would complete it, or `_MISS` for anything it
        must see itself (a null where none may be, a bad value, an awaitable)."""
        if flat.field is None:
            return _MISS
        try:
            value = flat.field.get_result(source, info=None, args=[], kwargs={})
        except Exception:  # graphql-core meets it again and reports it, located
            return _MISS
        if value is None:
            return None if flat.nullable else _MISS
        if not flat.listed:
            return self.flat_object(flat, value)
        return self.flat_list(flat, value)

    def flat_list(self, flat: FlatObjects, value: Any) -> Any:
        if not isinstance(value, list | tuple):
            return _MISS
        items: list[dict[str, Any] | None] = []
        for item in value:
            if item is None:
                if not flat.items_nullable:
                    return _MISS
                items.append(None)
                continue
            completed = self.flat_object(flat, item)
            if completed is _MISS:
                return _MISS
            items.append(completed)
        return items

    def flat_object(self, flat: FlatObjects, item: Any) -> Any:
        out: dict[str, Any] = {}
        try:
            for response_name, leaf, nullable in flat.leaves:
                if isinstance(leaf, FlatObjects):
                    nested = self.complete_flat(leaf, item)
                    if nested is _MISS:
                        return _MISS
                    out[response_name] = nested
                    continue
                value = leaf.read(item, leaf.python_name)
                if value is None:
                    if not nullable:
                        return _MISS
                    out[response_name] = None
                elif (kind := type(value)) is leaf.as_is and (kind is not float or isfinite(value)):
                    out[response_name] = value
                elif self.is_awaitable(value):
                    return _MISS
                else:
                    out[response_name] = self.complete_leaf(leaf, value)
        except Exception:  # graphql-core meets it again and reports it, located
            return _MISS
        return out

    def complete_leaf(self, leaf: Leaf, value: Any) -> Any:
        """graphql-core's `complete_leaf_value`, remembered per member for an enum."""
        names = leaf.enum_names
        if names is None or not isinstance(value, Enum):
            return self.complete_leaf_value(leaf.type, value)
        try:
            return names[value]
        except KeyError:
            completed = names[value] = self.complete_leaf_value(leaf.type, value)
            return completed

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
            leaf = self.shortcut(parent_type, field_details_list[0].node.name.value)
            if leaf is not None:
                try:
                    value = leaf.read(source_value, leaf.python_name)
                    kind = type(value)
                    if kind is leaf.as_is and (kind is not float or isfinite(value)):
                        done[response_name] = value
                        continue
                    if value is not None and not self.is_awaitable(value):
                        done[response_name] = self.complete_leaf(leaf, value)
                        continue
                except Exception:  # graphql-core meets it again below and reports it, located
                    pass
            else:
                flat = self.flat_objects(parent_type, field_details_list)
                if flat is not None:
                    completed = self.complete_flat(flat, source_value)
                    if completed is not _MISS:
                        done[response_name] = completed
                        continue
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
