"""Parsed and checked GraphQL documents, kept per query text so a repeated query costs one
dictionary lookup instead of parsing, limit checks and validation on every request.

    documents = DocumentCache(max_tokens=2000, max_repeats=30, max_depth=10, max_aliases=30)
    prepared = documents.prepare(schema, query)   # parse + limits + validation, or the cache
    prepared.errors                               # the verdict: () when the document may run

What is cached is the verdict as well as the tree, so a refused document stays refused on
every later sight without being checked again; the key is the whole query text, so a changed
query is a new entry and is checked afresh. Every check before graphql's validation is linear
in the size of the document (fragments are measured once, however often they are spread), and
validation only sees documents those checks let through. Syntax errors (a token flood included) are not
cached: the caller parses again to report them, which the token limit keeps cheap. The cost
estimate depends on variables (`first: $n`, and the length of a list that sizes a field's
answer, `resolveCredentials(names: $names)`), so it is remembered per document and per value
of the variables it reads; a document that reads none is costed once, without coercing the
variables of each request.

What an entry keeps, and what the cache charges for it (`held_bytes`, an upper bound measured
with tracemalloc over the worst shapes of document; `tests/api/test_document_memory.py`):

- a refused document keeps its text and its refusal only: the errors' messages, locations
  and codes (copied without the nodes they point at) and each operation's type and name,
  which strawberry reads before validation (a mutation over GET is refused as such). Its
  tree, every token of the text and its location (~600 bytes a token, ~1.2 MB for a 20 KB
  document of 2,000 tokens, ~55 times the text), is dropped;
- an admitted document keeps its tree with locations, so an error raised while it runs says
  where in the document: charged `BYTES_PER_TOKEN` a token plus the text twice (the key, and
  the names and strings copied out of it) and its remembered costs. Without locations
  (graphql-core's `no_location`) the tree would be ~45 % of that; the byte budget bounds it
  either way.

The cache is an LRU bounded by `maxsize` entries and by `max_bytes` of `held_bytes`; the
oldest entries go first, and a query longer than `MAX_CACHED_QUERY_CHARS` or whose own charge
exceeds the budget is checked every time instead of being kept.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_variable_values,
    parse,
    visit,
)
from graphql.language import Visitor
from strawberry.schema.schema import validate_document

from credgraph.api.document_shape import measure_shape
from credgraph.api.query_cost import SIZED_BY_ARGUMENT, estimate_cost, most_repeated_field

MAX_CACHED_QUERY_CHARS = 32_768
MAX_COSTS_PER_DOCUMENT = 64  # distinct values of the cost's variables remembered per document
CACHED_DOCUMENT_BYTES = 32 * 1024 * 1024  # the default budget of what the cache keeps

# Upper bounds of what an entry holds, from tracemalloc over the worst shapes measured
# (graphql-core 3.3, CPython 3.11): a token of a parsed tree with locations holds up to
# ~616 bytes (a field: its Token, FieldNode, NameNode and their two Locations; arguments,
# lists, variables, directives and fragments hold 300-410); the names and strings copied out
# of the text are charged as the text's size again.
BYTES_PER_TOKEN = 700
BYTES_PER_ENTRY = 1_024  # the Prepared, its LRU slot, the parse's Source, empty costs
BYTES_PER_COST = 256  # one remembered cost: its key (name, values) and the int
BYTES_PER_ERROR = 1_024  # a kept refusal: the GraphQLError and its extensions, no nodes
BYTES_PER_LOCATION = 160  # one of its locations: the position and the SourceLocation
BYTES_PER_OPERATION = 512  # one operation's type and name kept for a refused document


@dataclass(slots=True)
class Prepared:
    """A parsed document and what the checks said about it (no errors: it may run)."""

    document: DocumentNode
    errors: tuple[GraphQLError, ...]
    # Variables the cost reads: used as a `first` argument, or as a list that sizes a field's
    # answer (`SIZED_BY_ARGUMENT`, where the cost reads the list's length).
    cost_variables: tuple[str, ...]
    costs: dict[Hashable, int] = field(default_factory=dict)
    # What the cache charges for keeping it (see the module's docstring): an upper bound.
    held_bytes: int = 0

    def operation(self, name: str | None) -> OperationDefinitionNode | None:
        """The operation `name` selects (the only one when `name` is None)."""
        for definition in self.document.definitions:
            if isinstance(definition, OperationDefinitionNode) and (
                name is None or (definition.name is not None and definition.name.value == name)
            ):
                return definition
        return None

    def cost(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
        list_size: int,
    ) -> int:
        """`estimate_cost` of `operation`, computed once per value of the variables it reads.

        The variables are coerced first, as execution will coerce them, so the estimate and
        its cache key see the values that will run (`first: 100.0` is the Int 100, not an
        unreadable value the estimate would replace with a default). Variables that do not
        coerce cost 0 here: execution refuses them before any field runs. A document whose
        cost reads no variable is costed once, without coercing them.
        """
        name = operation.name.value if operation.name else None
        if not self.cost_variables:
            key: Hashable = (name,)
            found = self.costs.get(key)
            if found is None:
                found = self.costs[key] = estimate_cost(
                    schema, self.document, operation, {}, list_size=list_size
                )
            return found
        coerced = get_variable_values(
            schema, operation.variable_definitions or (), dict(variables), max_errors=1
        )
        if isinstance(coerced, list):
            return 0
        variables = coerced.coerced
        try:
            key = (name, tuple(_cost_key(variables.get(v)) for v in self.cost_variables))
            hash(key)
        except TypeError:  # an input object reused as `first` cannot be: validation refuses it
            return estimate_cost(schema, self.document, operation, variables, list_size=list_size)
        found = self.costs.get(key)
        if found is None:
            found = estimate_cost(schema, self.document, operation, variables, list_size=list_size)
            if len(self.costs) >= MAX_COSTS_PER_DOCUMENT:
                self.costs.clear()
            self.costs[key] = found
        return found


class DocumentCache:
    """Documents by query text (LRU), each checked once: repeated fields, depth and aliases
    (`credgraph.api.document_shape`), then graphql's own validation rules."""

    def __init__(
        self,
        *,
        max_tokens: int,
        max_repeats: int,
        max_depth: int,
        max_aliases: int,
        maxsize: int = 1000,
        max_bytes: int = CACHED_DOCUMENT_BYTES,
    ) -> None:
        self.max_tokens = max_tokens
        self.max_repeats = max_repeats
        self.max_depth = max_depth
        self.max_aliases = max_aliases
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self.held_bytes = 0  # the sum of the kept entries' `held_bytes`
        self._entries: OrderedDict[str, Prepared] = OrderedDict()
        self._schema: GraphQLSchema | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def prepare(
        self, schema: GraphQLSchema, query: str, *, validation_rules: Sequence[Any] = ()
    ) -> Prepared | None:
        """The checked document for `query`, or None when it does not parse (the caller
        parses it again to report the syntax error). `validation_rules` are graphql's own
        rules for this execution (the same every time: they are not part of the key)."""
        if self._schema is None:
            self._schema = schema
        elif schema is not self._schema:
            raise ValueError("a DocumentCache serves one schema; build one per schema")
        entry = self._entries.get(query)
        if entry is not None:
            self._entries.move_to_end(query)
            return entry
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError:
            return None
        errors = self._check(schema, document, validation_rules)
        entry = _refused(query, document, errors) if errors else _admitted(query, document)
        if len(query) <= MAX_CACHED_QUERY_CHARS:
            self._keep(query, entry)
        return entry

    def _keep(self, query: str, entry: Prepared) -> None:
        """Keep `entry`, forgetting the least recently used past `maxsize` or `max_bytes`."""
        if self.maxsize <= 0 or entry.held_bytes > self.max_bytes:
            return
        self._entries[query] = entry
        self.held_bytes += entry.held_bytes
        while len(self._entries) > self.maxsize or self.held_bytes > self.max_bytes:
            _, forgotten = self._entries.popitem(last=False)
            self.held_bytes -= forgotten.held_bytes

    def _check(
        self, schema: GraphQLSchema, document: DocumentNode, validation_rules: Sequence[Any]
    ) -> tuple[GraphQLError, ...]:
        # Repeated fields first: graphql's OverlappingFieldsCanBeMerged compares every pair of
        # same-named fields, so 500 copies would cost seconds inside validation itself.
        name, count = most_repeated_field(document)
        if count > self.max_repeats:
            return (
                GraphQLError(
                    f"Field {name!r} is selected {count} times in one selection; at most "
                    f"{self.max_repeats} are allowed.",
                    extensions={"code": "QUERY_TOO_COMPLEX"},
                ),
            )
        shape = self._shape_errors(document)
        if shape:
            return shape
        return tuple(validate_document(schema, document, tuple(validation_rules)))

    def _shape_errors(self, document: DocumentNode) -> tuple[GraphQLError, ...]:
        try:
            depths, aliases = measure_shape(document)
        except RecursionError:
            return (_too_complex(f"The document nests deeper than the maximum operation "
                                 f"depth of {self.max_depth}."),)  # fmt: skip
        errors = [
            _too_complex(
                f"'{operation.name.value if operation.name else 'anonymous'}' exceeds maximum "
                f"operation depth of {self.max_depth}",
                operation,
            )
            for operation, depth in depths.items()
            if depth > self.max_depth
        ]
        if aliases > self.max_aliases:
            errors.append(_too_complex(f"{aliases} aliases found. Allowed: {self.max_aliases}"))
        return tuple(errors)


def _admitted(query: str, document: DocumentNode) -> Prepared:
    """An admitted document with its whole tree, charged as the module's docstring says."""
    cost_variables = _cost_variables(document)
    costs = MAX_COSTS_PER_DOCUMENT if cost_variables else 1
    held = (
        BYTES_PER_ENTRY
        + 2 * sys.getsizeof(query)
        + BYTES_PER_TOKEN * _token_count(document)
        + BYTES_PER_COST * costs
    )
    return Prepared(document, (), cost_variables, held_bytes=held)


def _refused(query: str, document: DocumentNode, errors: tuple[GraphQLError, ...]) -> Prepared:
    """A refused document as its refusal alone: the errors without the nodes they point at
    (their locations computed now, from the parse's source) and each operation's type and
    name. The tree, which holds every token of the text, is left to be collected."""
    kept = tuple(_without_nodes(error) for error in errors)
    operations = tuple(
        _operation_outline(definition)
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    )
    held = (
        BYTES_PER_ENTRY
        + sys.getsizeof(query)
        + sum(_error_bytes(error) for error in kept)
        + sum(_operation_bytes(operation) for operation in operations)
    )
    return Prepared(DocumentNode(definitions=operations), kept, (), held_bytes=held)


def _without_nodes(error: GraphQLError) -> GraphQLError:
    """`error` as clients see it (message, locations, code), holding no node of the tree."""
    return GraphQLError(
        error.message,
        source=error.source if error.positions else None,
        positions=error.positions,
        extensions=error.extensions,
    )


def _operation_outline(operation: OperationDefinitionNode) -> OperationDefinitionNode:
    """What strawberry reads of a refused operation before validation: its type and name."""
    return OperationDefinitionNode(
        operation=operation.operation,
        name=NameNode(value=operation.name.value) if operation.name else None,
        variable_definitions=(),
        directives=(),
        selection_set=SelectionSetNode(selections=()),
    )


def _error_bytes(error: GraphQLError) -> int:
    return (
        BYTES_PER_ERROR
        + sys.getsizeof(error.message)
        + BYTES_PER_LOCATION * len(error.locations or ())
    )


def _operation_bytes(operation: OperationDefinitionNode) -> int:
    return BYTES_PER_OPERATION + (sys.getsizeof(operation.name.value) if operation.name else 0)


def _token_count(document: DocumentNode) -> int:
    """How many tokens the parsed tree holds: its locations link every token of the text."""
    count = 0
    token = document.loc.start_token if document.loc else None
    while token is not None:
        count += 1
        token = token.next
    return count


def _too_complex(message: str, node: OperationDefinitionNode | None = None) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": "QUERY_TOO_COMPLEX"})


def _cost_variables(document: DocumentNode) -> tuple[str, ...]:
    """The variables `estimate_cost` reads: those given as `first`, and those given as the
    list argument that sizes a field's answer (`SIZED_BY_ARGUMENT`)."""
    names: list[str] = []
    fields: list[str] = []

    class Read(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            fields.append(node.name.value)

        def leave_field(self, *_: object) -> None:
            fields.pop()

        def enter_argument(self, node: ArgumentNode, *_: object) -> None:
            sized_by = SIZED_BY_ARGUMENT.get(fields[-1]) if fields else None
            if isinstance(node.value, VariableNode) and node.name.value in ("first", sized_by):
                names.append(node.value.name.value)

    visit(document, Read())
    return tuple(dict.fromkeys(names))


def _cost_key(value: Any) -> Any:
    """What of a cost variable's value the estimate reads: a list's length, else the value."""
    return len(value) if isinstance(value, list | tuple) else value
