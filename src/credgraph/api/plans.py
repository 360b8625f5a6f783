"""Compiled execution of read-only queries: a checked document's operation becomes a plan once,
and each request runs the plan instead of graphql-core's general executor.

    plan = compile_operation(schema, document, operation)     # None: not this executor's kind
    data = await plan.run(context, variables)                 # None: answer with the full path

Why: graphql-core completes every value through a general routine (the type looked up and
tested, a response path and a resolve info built, an awaitable test), 4-10 µs a value, and
Strawberry wraps the whole operation in extension hooks. A comparison of three credentials
answers ~490 values, so on SQLite, where the store answers in a fraction of a millisecond,
that machinery was most of the latency (docs/benchmarks.md, API). A plan decides all of that
once per document: each field knows its resolver (or the attribute it reads), its arguments
when they hold no variables, and a completion function built for its exact type.

What a plan does not do, it leaves to the full executor, which stays the reference:
- it compiles only queries over object types: mutations, introspection (`__schema`,
  `__type`), abstract types (unions, interfaces) and any directive (`@skip`, `@include`,
  `@defer`...) make `compile_operation` answer None and the document always runs in full;
- at run time anything but a clean answer (a resolver raising, even a GraphQL error; a null
  where the schema promises a value; a leaf that does not serialise; variables that do not
  coerce) makes `run` answer None, and the caller runs the same operation through the full
  executor, which produces the errors with their exact paths and null propagation. Queries
  are reads, so running one twice changes nothing; fields too heavy to run twice are listed
  in `FULL_PATH_ONLY`.

Resolvers get a real `GraphQLResolveInfo`, one per field of the plan and request, whose
`path` carries no list indices: resolvers here read `info.context`, and every error is
reported by the full executor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    is_leaf_type,
)
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.pyutils import Path

from credgraph.api.completion import (
    Complete,
    Serialize,
    Step,
    is_pending,
    leaf_step,
    list_step,
    non_null_step,
    object_step,
)
from credgraph.api.resolver_calls import Prepared, ResolverCall

# Root fields that never take the compiled path: an export can stream thousands of records,
# and a failed one must not run a second time behind the caller's back.
FULL_PATH_ONLY = frozenset({"exportSubgraph"})


class NotCompilable(Exception):
    """The operation needs something only the full executor does (see the module docs)."""


@dataclass(slots=True, eq=False)
class FieldPlan:
    """One response key of a selection on one object type."""

    key: str
    nodes: list[FieldNode]
    parent: GraphQLObjectType
    definition: GraphQLField | None  # None for __typename
    attribute: str | None  # a plain field: the attribute read from the source
    static_args: dict[str, Any] | None  # arguments holding no variables, coerced once
    step: Step = field(repr=False)
    # A plain field of a leaf type: (its serialiser, non-null). Most fields are such (ids,
    # names, numbers): the object's generated completion reads and serialises them inline.
    leaf: tuple[Serialize, bool] | None = field(default=None, repr=False)
    # A resolver called directly rather than through Strawberry's wrapper (resolver_calls).
    call: ResolverCall | None = field(default=None, repr=False)

    @property
    def type_name(self) -> str:
        return self.parent.name

    @property
    def is_typename(self) -> bool:
        return self.definition is None

    def resolve(self, source: Any, run: Run) -> Any:
        if self.attribute is not None:
            return self.step.complete(getattr(source, self.attribute), run)
        if self.definition is None:
            return self.parent.name  # __typename
        if self.call is not None:
            value = run.prepared(self, self.call)(source)
        else:
            args = self.static_args if self.static_args is not None else run.arguments(self)
            value = self.definition.resolve(source, run.info(self), **args)  # type: ignore[misc]
        if is_pending(value):
            return _complete_later(self.step.complete, value, run)
        return self.step.complete(value, run)


async def _complete_later(complete: Complete, value: Awaitable[Any], run: Run) -> Any:
    done = complete(await value, run)
    return await done if is_pending(done) else done


@dataclass(slots=True)
class Run:
    """The per-request state of one plan's execution."""

    plan: Plan
    context: Any
    variables: Any  # graphql-core VariableValues
    _infos: dict[FieldPlan, GraphQLResolveInfo[Any]] = field(default_factory=dict)
    _args: dict[FieldPlan, dict[str, Any]] = field(default_factory=dict)
    _prepared: dict[FieldPlan, Prepared] = field(default_factory=dict)

    def info(self, plan: FieldPlan) -> GraphQLResolveInfo[Any]:
        found = self._infos.get(plan)
        if found is None:
            assert plan.definition is not None
            found = self._infos[plan] = GraphQLResolveInfo(
                plan.nodes[0].name.value, plan.nodes, plan.definition.type, plan.parent,
                Path(None, plan.key, plan.parent.name), self.plan.schema, self.plan.fragments,
                None, self.plan.operation, self.variables.coerced, self.context, is_pending,
                None, None,  # type: ignore[arg-type]
            )  # fmt: skip
        return found

    def arguments(self, plan: FieldPlan) -> dict[str, Any]:
        found = self._args.get(plan)
        if found is None:
            assert plan.definition is not None
            found = self._args[plan] = get_argument_values(
                plan.definition, plan.nodes[0], self.variables
            )
        return found

    def prepared(self, plan: FieldPlan, call: ResolverCall) -> Prepared:
        found = self._prepared.get(plan)
        if found is None:
            args = plan.static_args if plan.static_args is not None else self.arguments(plan)
            found = self._prepared[plan] = call.prepare(lambda: self.info(plan), args)
        return found


@dataclass(slots=True)
class Plan:
    """A compiled query operation; `run` answers its data, or None for the full executor."""

    schema: GraphQLSchema
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    root: Complete

    async def run(self, context: Any, inputs: Mapping[str, Any] | None) -> dict[str, Any] | None:
        variables = get_variable_values(
            self.schema, self.operation.variable_definitions or (), dict(inputs or {}), 50
        )
        if isinstance(variables, list):  # coercion errors: the full executor words them
            return None
        run = Run(self, context, variables)
        try:
            data = self.root(None, run)
            if is_pending(data):
                data = await data
        except Exception:  # any failure is the full executor's to report
            return None
        return data if isinstance(data, dict) else None


def compile_operation(
    schema: GraphQLSchema,
    fragments: dict[str, FragmentDefinitionNode],
    operation: OperationDefinitionNode,
) -> Plan | None:
    """The plan for `operation` (a query of a validated document), or None when it needs the
    full executor."""
    if operation.operation is not OperationType.QUERY or schema.query_type is None:
        return None
    try:
        compiler = _Compiler(schema, fragments)
        fields = compiler.collect(schema.query_type, [operation.selection_set])
        if any(n.name.value in FULL_PATH_ONLY for nodes in fields.values() for n in nodes):
            return None
        root = compiler.object_fields(schema.query_type, fields)
    except (NotCompilable, GraphQLError):  # GraphQLError: an argument literal that won't coerce
        return None
    return Plan(schema, operation, fragments, object_step(root, root=True).complete)


class _Compiler:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]):
        self.schema = schema
        self.fragments = fragments

    def collect(
        self, parent: GraphQLObjectType, selections: Iterable[SelectionSetNode]
    ) -> dict[str, list[FieldNode]]:
        """Field nodes by response key, fragments on `parent` merged in document order."""
        out: dict[str, list[FieldNode]] = {}
        for selection_set in selections:
            self._collect(parent, selection_set, out, set())
        return out

    def _collect(
        self,
        parent: GraphQLObjectType,
        selection_set: SelectionSetNode,
        out: dict[str, list[FieldNode]],
        spread: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if selection.directives:
                raise NotCompilable("directives")
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                out.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, parent):
                    self._collect(parent, selection.selection_set, out, spread)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or fragment.directives:
                    raise NotCompilable("fragment")
                if name in spread:
                    continue
                spread.add(name)
                if self._applies(fragment.type_condition.name.value, parent):
                    self._collect(parent, fragment.selection_set, out, spread)

    def _applies(self, condition: str, parent: GraphQLObjectType) -> bool:
        if condition == parent.name:
            return True
        # On an object type, a fragment on any other type (an interface it implements, say)
        # needs the runtime type checks of the full executor.
        raise NotCompilable(f"fragment on {condition}")

    def object_fields(
        self, parent: GraphQLObjectType, fields: dict[str, list[FieldNode]]
    ) -> list[FieldPlan]:
        plans = []
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name == "__typename":
                plans.append(FieldPlan(key, nodes, parent, None, None, {}, Step(_identity, True)))
                continue
            if name.startswith("__"):
                raise NotCompilable("introspection")
            definition = parent.fields.get(name)
            if definition is None:
                raise NotCompilable(f"unknown field {name}")
            step = self.completer(definition.type, nodes)
            attribute = _plain_attribute(definition)
            args = _static_args(definition, nodes[0])
            leaf = _leaf_of(definition.type) if attribute else None
            call = None if attribute else ResolverCall.of(self.schema, definition)
            plans.append(
                FieldPlan(key, nodes, parent, definition, attribute, args, step, leaf, call)
            )
        return plans

    def completer(self, type_: GraphQLOutputType, nodes: list[FieldNode]) -> Step:
        if isinstance(type_, GraphQLNonNull):
            return non_null_step(self.completer(type_.of_type, nodes))
        if isinstance(type_, GraphQLList):
            return list_step(self.completer(type_.of_type, nodes))
        if is_leaf_type(type_):
            return leaf_step(type_.serialize)
        if isinstance(type_, GraphQLObjectType):
            if type_.is_type_of is not None:
                raise NotCompilable(f"{type_.name} checks its runtime type")
            subsets = [n.selection_set for n in nodes if n.selection_set is not None]
            return object_step(self.object_fields(type_, self.collect(type_, subsets)))
        raise NotCompilable(f"abstract type {type_}")


def _plain_attribute(definition: GraphQLField) -> str | None:
    """The attribute a Strawberry field without a resolver reads, else None."""
    if getattr(definition.resolve, "_is_default", False):
        strawberry_field = (definition.extensions or {}).get("strawberry-definition")
        python_name = getattr(strawberry_field, "python_name", None)
        default = getattr(strawberry_field, "default_resolver", getattr)
        if isinstance(python_name, str) and default is getattr:
            return python_name
    if definition.resolve is None:  # graphql-core's default resolver: an attribute or key
        raise NotCompilable("default resolver")
    return None


def _static_args(definition: GraphQLField, node: FieldNode) -> dict[str, Any] | None:
    """The field's arguments when no variable can change them (coerced once), else None."""
    if not definition.args and not node.arguments:
        return {}
    if any(_uses_variables(argument.value) for argument in node.arguments or ()):
        return None
    return get_argument_values(definition, node, None)


def _uses_variables(value: Any) -> bool:
    kind = getattr(value, "kind", "")
    if kind == "variable":
        return True
    if kind == "list_value":
        return any(_uses_variables(v) for v in value.values)
    if kind == "object_value":
        return any(_uses_variables(f.value) for f in value.fields)
    return False


def _leaf_of(type_: GraphQLOutputType) -> tuple[Serialize, bool] | None:
    """For a field of a leaf type: its serialiser and whether it is non-null."""
    required = isinstance(type_, GraphQLNonNull)
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    return (inner.serialize, required) if is_leaf_type(inner) else None


def _identity(value: Any, run: Run) -> Any:
    return value
