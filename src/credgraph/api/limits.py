"""What one GraphQL operation may cost, and what a caller may see when it fails.

All of it is Strawberry extensions, built fresh for every request by `limit_extensions()`:

- `MaxTokensLimiter`   the parser stops after `max_tokens` tokens (a token flood never parses)
- `QueryDepthLimiter`  selections nested deeper than `max_depth` are refused
- `MaxAliasesLimiter`  more than `max_aliases` aliased fields are refused (alias explosion)
- `CostLimiter`        the estimated number of resolved fields (`estimate_cost`) above
                       `max_cost` is refused before anything runs
- `RepeatedFieldLimiter` one field selected more than 30 times in a selection is refused
                       before validation, whose cost grows with the square of that number
- `ParserCache`, `ValidationCache`  repeated documents skip parsing and validation
- `OperationTimeout`   execution longer than `timeout_seconds` stops with a TIMEOUT error;
                       the check is cooperative (it interrupts awaits, not a running query)
- `MaskInternalErrors` an unexpected exception in a resolver becomes
                       "Internal server error (request id X)", logged with its traceback

Errors a caller can act on are not masked: GraphQL errors, and `InvalidQuery` raised by the
store or a resolver for a bad filter, cursor or page size.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from credgraph.api.http.request_info import current_request_id
from credgraph.api.query_cost import estimate_cost, most_repeated_field
from credgraph.errors import InvalidQuery

if TYPE_CHECKING:
    from credgraph.api.settings import ApiSettings

log = logging.getLogger("credgraph.api")

ExtensionFactory = Callable[[], SchemaExtension]
CACHED_DOCUMENTS = 1000  # parsed and validated documents kept per process (LRU)
# graphql-core compares every pair of fields with the same response name in a selection
# (OverlappingFieldsCanBeMerged): 500 copies of one field cost seconds of CPU to validate.
MAX_REPEATED_FIELD = 30
SAFE_ERRORS: tuple[type[BaseException], ...] = (GraphQLError, InvalidQuery)


def limit_extensions(settings: ApiSettings) -> list[ExtensionFactory]:
    """The limits and masking for `settings`, as factories (one extension per request).

    The depth and alias rules are built once, so validation results can be cached per
    document (`ValidationCache`); the cost check needs the variables and so runs later, just
    before execution.
    """
    s = settings
    rules = [
        *QueryDepthLimiter(max_depth=s.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=s.max_aliases).validation_rules,
    ]
    return [
        lambda: MaxTokensLimiter(max_token_count=s.max_tokens),
        lambda: ParserCache(maxsize=CACHED_DOCUMENTS),
        lambda: AddValidationRules(rules),
        lambda: RepeatedFieldLimiter(max_repeats=MAX_REPEATED_FIELD),
        lambda: CachedValidation(maxsize=CACHED_DOCUMENTS),
        lambda: CostLimiter(max_cost=s.max_cost, default_list_size=s.default_list_size),
        lambda: OperationTimeout(seconds=s.timeout_seconds),
        MaskInternalErrors,
    ]


# -- error masking ---------------------------------------------------------------------------


def is_internal(error: GraphQLError) -> bool:
    """An unexpected exception: in a resolver (it has a path) or outside any document node.

    Errors with nodes but no path come from coercing the caller's variables, and say what was
    wrong with them; those stay visible.
    """
    original = error.original_error
    if original is None or isinstance(original, SAFE_ERRORS):
        return False
    return error.path is not None or not error.nodes


def mask_error(error: GraphQLError) -> GraphQLError:
    """Log `error` with the request id and its traceback; return the generic replacement."""
    request_id = current_request_id()
    original = error.original_error
    log.error(
        "internal error (request id %s) at %s: %s",
        request_id,
        ".".join(str(p) for p in error.path or ()) or "-",
        original,
        exc_info=(type(original), original, original.__traceback__) if original else None,
    )
    return GraphQLError(
        f"Internal server error (request id {request_id})",
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )


class MaskInternalErrors(MaskErrors):
    """`MaskErrors` for internal errors only, with the request id in the message and the log."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_internal)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return mask_error(error)


# -- repeated fields -------------------------------------------------------------------------


class RepeatedFieldLimiter(SchemaExtension):
    """Refuse a document that selects one field more than `max_repeats` times in a selection
    (fragments included), before validation spends quadratic time comparing the copies."""

    def __init__(self, *, max_repeats: int) -> None:
        self.max_repeats = max_repeats

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.pre_execution_errors is None:
            name, count = most_repeated_field(ctx.graphql_document)
            if count > self.max_repeats:
                ctx.pre_execution_errors = [
                    GraphQLError(
                        f"Field {name!r} is selected {count} times in one selection; at most "
                        f"{self.max_repeats} are allowed.",
                        extensions={"code": "QUERY_TOO_COMPLEX"},
                    )
                ]
        yield


class CachedValidation(ValidationCache):
    """`ValidationCache` that leaves a document alone once an earlier check refused it."""

    def on_validate(self) -> Iterator[None]:
        if self.execution_context.pre_execution_errors is None:
            yield from super().on_validate()
        else:
            yield


# -- timeout ---------------------------------------------------------------------------------


class OperationTimeout(SchemaExtension):
    """Stop executing after `seconds`; the caller gets a GraphQL error with code TIMEOUT."""

    def __init__(self, *, seconds: float) -> None:
        self.seconds = seconds

    async def on_execute(self) -> AsyncIterator[None]:
        try:
            async with asyncio.timeout(self.seconds):
                yield
        except TimeoutError:
            raise GraphQLError(
                f"The operation took longer than {self.seconds:g} s and was stopped; "
                "ask for less (fewer items or fewer nested fields).",
                extensions={"code": "TIMEOUT"},
            ) from None


# -- estimated cost --------------------------------------------------------------------------


class CostLimiter(SchemaExtension):
    """Refuse an operation whose `estimate_cost` exceeds `max_cost`, before it runs."""

    def __init__(self, *, max_cost: int, default_list_size: int) -> None:
        self.max_cost = max_cost
        self.default_list_size = default_list_size

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        operation = _operation(document, ctx.operation_name) if document else None
        if document is not None and operation is not None:
            cost = estimate_cost(
                ctx.schema._schema,
                document,
                operation,
                ctx.variables or {},
                list_size=self.default_list_size,
            )
            if cost > self.max_cost:
                name = operation.name.value if operation.name else "anonymous"
                error = GraphQLError(
                    f"Operation {name!r} is too expensive: estimated cost {cost} exceeds the "
                    f"limit of {self.max_cost}. Ask for fewer items (`first`) or fewer nested "
                    "lists.",
                    operation,
                    extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost},
                )
                ctx.result = GraphQLExecutionResult(data=None, errors=[error])  # skips execution
        yield


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            name is None or (definition.name is not None and definition.name.value == name)
        ):
            return definition
    return None
