"""How much a GraphQL document asks for, read from its syntax tree before anything runs.

`estimate_cost` multiplies list sizes through nesting; `most_repeated_field` finds the field
selected most often in one selection (fragments expanded, each counted once). Both are linear
in the size of the document; `credgraph.api.limits` turns them into refusals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
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
    get_named_type,
)

# Fields whose cost is the work behind them, not what they select: an export streams a
# subgraph of up to the inline limit, so a handful in one operation is already a lot.
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
    Introspection fields cost nothing (depth limits them).

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
    estimator = _Estimator(schema, fragments, {**defaults, **variables}, list_size)
    root = schema.get_root_type(operation.operation)
    return estimator.selection_set(operation.selection_set, root)


class _Estimator:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        list_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.list_size = list_size
        self.fragment_costs: dict[str, int] = {}
        self.visiting: set[str] = set()

    def selection_set(self, selections: SelectionSetNode, parent: Any) -> int:
        # The cost is linear in the parent's item count, so each level is computed for one
        # item and multiplied; fragments are computed once.
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection_set(selection.selection_set, target)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def field(self, node: FieldNode, parent: Any) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0
        if name in FLAT_COSTS:  # work not visible in the selection: a whole export
            return FLAT_COSTS[name]
        if node.selection_set is None:
            return 1
        definition = None
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(name)
        child: GraphQLNamedType | None = get_named_type(definition.type) if definition else None
        items = self.items(node, definition, parent)
        return 1 + SEARCH_COSTS.get(name, 0) + items * self.selection_set(node.selection_set, child)

    def fragment(self, name: str) -> int:
        if name in self.fragment_costs:
            return self.fragment_costs[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.visiting:
            return 0  # unknown or cyclic: other validation rules report it
        self.visiting.add(name)
        target = self.schema.get_type(fragment.type_condition.name.value)
        cost = self.selection_set(fragment.selection_set, target)
        self.visiting.discard(name)
        self.fragment_costs[name] = cost
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
