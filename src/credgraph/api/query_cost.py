"""How much a GraphQL document asks for, read from its syntax tree before anything runs.

`estimate_cost` multiplies list sizes through nesting; `most_repeated_field` finds the field
selected most often in one selection (fragments expanded, each counted once). Both are linear
in the size of the document; `credgraph.api.limits` turns them into refusals.

Introspection (`__schema`, `__type` and what they select) is costed too, with the list sizes
of the schema itself (`IntrospectionSizes`): graphql-core resolves it synchronously, so the
operation timeout cannot stop it once it runs, and thirty aliased `__schema` selections are
megabytes of answer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_introspection_query,
    get_named_type,
    is_abstract_type,
    parse,
)

# Fields whose own work is more than what they select (which is costed on top, per `first`
# item): an export streams a subgraph of up to the inline limit, so a handful in one operation
# is already a lot.
FLAT_COSTS: dict[str, int] = {
    "exportSubgraph": 5000,
    # Demand of a skill, occupation or credential is a count over every active posting
    # (for a credential, a join of its skills with the postings'), batched per tick.
    "demand": 25,
    # Reading a posting's text and ranking credentials for its skills: bounded by the text
    # limit, the 200-skill cap and a worker deadline, but far more than one lookup.
    "matchJob": 500,
}
# Fields that answer one item per entry of a list argument (not per `first`): each name of
# `resolveCredentials` is matched, and its `matches` (at most 10) count as a plain list.
SIZED_BY_ARGUMENT: dict[str, str] = {"resolveCredentials": "names"}
# Fields whose work is a search before anything is selected: this on top of the selection.
# A pathway search expands at most `first` routes' worth of credentials per credential.
SEARCH_COSTS: dict[str, int] = {"pathways": 200}


class Place(NamedTuple):
    """Where a selection is, for introspection: `every`, under one of all the schema's types
    (or of all their fields); `wraps`, how many `ofType` levels can still be non-null."""

    every: bool = False
    wraps: int = 0


NOWHERE = Place()  # outside introspection


def estimate_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    *,
    list_size: int = 10,
) -> int:
    """How many fields `operation` could resolve: each field costs 1 per parent item.

    A field's items are its `first` argument (literal, variable, or the schema's default);
    a list field without `first` counts `list_size` items, except directly inside a
    `...Connection` type, whose size is already counted by the `first` of its field.
    Introspection fields cost 1 per item too, their lists sized by the schema
    (`IntrospectionSizes`). A field in `FLAT_COSTS` costs its flat cost plus what it selects,
    once per `first` item.

        credentials(first: 50) { edges { node { name skills { name } } } }
        = 1 + 50 x (edges 1 + node 1 + name 1 + skills 1 + 10 x name 1) = 701
    """
    defaults = {
        v.variable.name.value: v.default_value.value
        for v in operation.variable_definitions or ()
        if isinstance(v.default_value, IntValueNode)
    }
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    estimator = _Estimator(
        schema, fragments, {**defaults, **variables}, list_size, introspection_sizes(schema)
    )
    root = schema.get_root_type(operation.operation)
    return estimator.selection_set(operation.selection_set, root)


class _Estimator:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        list_size: int,
        introspection: IntrospectionSizes,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.list_size = list_size
        self.introspection = introspection
        self.fragment_costs: dict[tuple[str, Place], int] = {}
        self.visiting: set[str] = set()

    def selection_set(self, selections: SelectionSetNode, parent: Any, at: Place = NOWHERE) -> int:
        # The cost is linear in the parent's item count, so each level is computed for one
        # item and multiplied; fragments are computed once (per place in introspection).
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, at)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection_set(selection.selection_set, target, at)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, at)
        return total

    def field(self, node: FieldNode, parent: Any, at: Place) -> int:
        name = node.name.value
        if node.selection_set is None:
            return FLAT_COSTS.get(name, 1)
        parent_name: str = getattr(parent, "name", "")
        if name.startswith("__") or parent_name.startswith("__"):
            return self.introspection_field(node, parent_name, at)
        definition = None
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(name)
        child: GraphQLNamedType | None = get_named_type(definition.type) if definition else None
        items = self.items(node, definition, parent)
        # A flat cost is the field's own work (an export, a posting read and ranked); what it
        # selects is costed on top, once per item, as under any list of `first` items.
        own = 1 + FLAT_COSTS.get(name, 0) + SEARCH_COSTS.get(name, 0)
        return own + items * self.selection_set(node.selection_set, child)

    def introspection_field(self, node: FieldNode, parent_name: str, at: Place) -> int:
        assert node.selection_set is not None
        key = (parent_name, node.name.value)
        child = _introspection_child(self.schema, *key)
        sizes = self.introspection
        if key == _UNWRAP:  # null past the schema's deepest wrapping: nothing below is resolved
            items, below = (1, Place(wraps=at.wraps - 1)) if at.wraps > 0 else (0, at)
        else:
            items = sizes.items(key, at.every)
            below = Place(every=_enumerates(key, at.every), wraps=sizes.wraps)
        return 1 + items * self.selection_set(node.selection_set, child, below)

    def fragment(self, name: str, at: Place) -> int:
        if (name, at) in self.fragment_costs:
            return self.fragment_costs[name, at]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.visiting:
            return 0  # unknown or cyclic: other validation rules report it
        self.visiting.add(name)
        target = self.schema.get_type(fragment.type_condition.name.value)
        cost = self.selection_set(fragment.selection_set, target, at)
        self.visiting.discard(name)
        self.fragment_costs[name, at] = cost
        return cost

    def items(self, node: FieldNode, definition: Any, parent: Any) -> int:
        sized_by = SIZED_BY_ARGUMENT.get(node.name.value)
        if sized_by is not None:
            return self.listed(node, sized_by)
        for argument in node.arguments or ():
            if argument.name.value == "first":
                value = argument.value
                if isinstance(value, IntValueNode):
                    return max(int(value.value), 0)
                if isinstance(value, VariableNode):
                    given = self.variables.get(value.name.value)
                    if isinstance(given, int | str) and str(given).lstrip("-").isdigit():
                        return max(int(given), 0)
        if definition is not None:
            first = definition.args.get("first")
            if first is not None:
                default = first.default_value
                return max(default, 0) if isinstance(default, int) else self.list_size
            if _is_list(definition.type):
                if getattr(parent, "name", "").endswith("Connection"):
                    return 1
                return self.list_size
        return 1

    def listed(self, node: FieldNode, name: str) -> int:
        """How many entries the list argument `name` holds, literal or variable (a single
        value counts one, as GraphQL coerces it to a list)."""
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            value = argument.value
            if isinstance(value, ListValueNode):
                return len(value.values)
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                return len(given) if isinstance(given, list | tuple) else 1
            return 1
        return 0


# Introspection lists, by (type, field). The first two enumerate all the schema's types or
# directives: what is selected under them is selected for every one.
_ENUMERATIONS = frozenset({("__Schema", "types"), ("__Schema", "directives")})
# Each of all the types' fields belongs to one type, so under `types` the mean number of fields
# a type has, times the number of types, is exactly how many there are (and so for their args).
_SHARED_OUT = ("__Type", "fields")
_ROOT_INTROSPECTION = {"__schema": "__Schema", "__type": "__Type"}
_UNWRAP = ("__Type", "ofType")


@dataclass(frozen=True)
class IntrospectionSizes:
    """How many items each introspection list of one schema holds: `mean` per parent, for a
    parent that is one of all the types (or of all their fields), and `most`, the largest any
    one parent holds, for a parent chosen by name or reached through `type`/`ofType`, which
    may be the widest. Both are upper bounds of what the answer holds."""

    mean: Mapping[tuple[str, str], int]
    most: Mapping[tuple[str, str], int]
    wraps: int  # the most list and non-null wrappings around any type the schema refers to

    def items(self, key: tuple[str, str], every: bool) -> int:
        return (self.mean if every else self.most).get(key, 1)


@lru_cache(maxsize=8)
def introspection_sizes(schema: GraphQLSchema) -> IntrospectionSizes:
    """The introspection list sizes of `schema` (fixed for a process: computed once)."""
    types = list(schema.type_map.values())
    with_fields = [t for t in types if isinstance(t, GraphQLObjectType | GraphQLInterfaceType)]
    lists: dict[tuple[str, str], list[int]] = {
        ("__Schema", "types"): [len(types)],
        ("__Schema", "directives"): [len(schema.directives)],
        ("__Type", "fields"): [len(t.fields) for t in with_fields],
        ("__Type", "inputFields"): [
            len(t.fields) if isinstance(t, GraphQLInputObjectType) else 0 for t in types
        ],
        ("__Type", "enumValues"): [
            len(t.values) if isinstance(t, GraphQLEnumType) else 0 for t in types
        ],
        ("__Type", "interfaces"): [len(t.interfaces) for t in with_fields],
        ("__Type", "possibleTypes"): [
            len(schema.get_possible_types(t)) for t in types if is_abstract_type(t)
        ],
        ("__Field", "args"): [len(f.args) for t in with_fields for f in t.fields.values()],
        ("__Directive", "args"): [len(d.args) for d in schema.directives],
    }
    # A mean over every type, those without such a list included: `types` lists them all.
    owners = {"__Type": len(types), "__Field": 0, "__Directive": len(schema.directives)}
    owners["__Field"] = sum(len(t.fields) for t in with_fields)
    mean = {
        key: math.ceil(sum(sizes) / max(owners.get(key[0], 1), 1)) for key, sizes in lists.items()
    }
    mean.update({key: lists[key][0] for key in _ENUMERATIONS})
    most = {key: max(sizes, default=0) for key, sizes in lists.items()}
    return IntrospectionSizes(mean=mean, most=most, wraps=_deepest_wrapping(schema))


def _deepest_wrapping(schema: GraphQLSchema) -> int:
    """How many `ofType` steps the longest wrapped type of `schema` takes to its named type."""
    refs: list[Any] = [d_arg.type for d in schema.directives for d_arg in d.args.values()]
    for named in schema.type_map.values():
        for f in getattr(named, "fields", {}).values():
            refs.append(f.type)
            refs.extend(a.type for a in getattr(f, "args", {}).values())
    deepest = 0
    for ref in refs:
        steps = 0
        while isinstance(ref, GraphQLList | GraphQLNonNull):
            ref, steps = ref.of_type, steps + 1
        deepest = max(deepest, steps)
    return deepest


@lru_cache(maxsize=8)
def full_introspection_cost(schema: GraphQLSchema) -> int:
    """The estimated cost of the standard introspection query (as the explorer and other
    GraphQL tools send it, every option on) for `schema`: the cost limit never goes below it,
    so a schema that grows does not lock its own explorer out."""
    document = parse(get_introspection_query(
        specified_by_url=True, directive_is_repeatable=True, schema_description=True,
        input_value_deprecation=True, one_of=True,
    ))  # fmt: skip
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return estimate_cost(schema, document, operation, {})


def introspects_only(operation: OperationDefinitionNode) -> bool:
    """Whether every root field `operation` selects is introspection (`__schema`, `__type`)."""
    return all(
        isinstance(s, FieldNode) and s.name.value.startswith("__")
        for s in operation.selection_set.selections
    )


def _introspection_child(schema: GraphQLSchema, parent: str, name: str) -> GraphQLNamedType | None:
    """The type `parent.name` answers, for an introspection field or root (`__schema`)."""
    if name in _ROOT_INTROSPECTION:
        root: GraphQLNamedType | None = schema.get_type(_ROOT_INTROSPECTION[name])
        return root
    owner = schema.get_type(parent)
    if isinstance(owner, GraphQLObjectType) and name in owner.fields:
        named: GraphQLNamedType = get_named_type(owner.fields[name].type)
        return named
    return None


def _enumerates(key: tuple[str, str], every: bool) -> bool:
    """Whether what is selected under `key` is selected for every one of its kind."""
    return key in _ENUMERATIONS or (every and key == _SHARED_OUT)


def _is_list(type_: Any) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def most_repeated_field(document: DocumentNode) -> tuple[str, int]:
    """The response name selected most often in any one selection set, and how often."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    memo: dict[str, Counter[str]] = {}

    def names(selections: SelectionSetNode, visiting: frozenset[str]) -> Counter[str]:
        counts: Counter[str] = Counter()
        pending = [selections]
        while pending:
            for selection in pending.pop().selections:
                if isinstance(selection, FieldNode):
                    counts[(selection.alias or selection.name).value] += 1
                elif isinstance(selection, InlineFragmentNode):
                    pending.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    counts.update(spread(selection.name.value, visiting))
        return counts

    def spread(name: str, visiting: frozenset[str]) -> Counter[str]:
        if name not in memo:
            fragment = fragments.get(name)
            if fragment is None or name in visiting:
                return Counter()  # unknown or cyclic: validation reports it
            memo[name] = names(fragment.selection_set, visiting | {name})
        return memo[name]

    worst = ("", 0)
    stack = [d.selection_set for d in document.definitions if hasattr(d, "selection_set")]
    while stack:
        selections = stack.pop()
        if selections is None:
            continue
        try:
            counts = names(selections, frozenset())
        except RecursionError:
            return ("(fragments nested too deeply)", 1 << 30)
        for name, count in counts.items():
            if count > worst[1]:
                worst = (name, count)
        stack.extend(
            s.selection_set for s in selections.selections if not isinstance(s, FragmentSpreadNode)
        )
    return worst
