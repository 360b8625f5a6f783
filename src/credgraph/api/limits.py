"""What one GraphQL operation may cost, and what a caller may see when it fails.

`DocumentLimits`, a Strawberry extension built fresh for every request by
`limit_extensions()`, makes one pass over each distinct document, its verdict cached per
query text (`credgraph.api.documents`):

- the parser stops after `max_tokens` tokens (a token flood never parses)
- one field selected more than 30 times in a selection is refused before validation, whose
  cost grows with the square of that number
- selections nested deeper than `max_depth`, and more than `max_aliases` aliased fields (alias
  explosion), are refused by validation rules
- the estimated number of resolved fields (`estimate_cost`, introspection included) above
  `max_cost` is refused before anything runs (an operation of introspection alone may cost as
  much as the full standard introspection query, should that be more) (remembered per document and per value of the variables the estimate reads)

One extension does all the document checks because every extension costs hook dispatch on
each request, whether or not it has work to do (bench/api_bench.py measures a request's
overhead). For the same reason the GraphQL endpoint (`credgraph.api.http.graphql`) keeps the
rest itself rather than through extensions:

- an operation longer than `timeout_seconds` is stopped (its awaits interrupted) with the
  TIMEOUT error `timed_out` builds;
- an unexpected exception in a resolver (`is_internal`) is replaced with `mask_error`'s
  "Internal server error (request id X)", logged with its traceback. Errors a caller can act
  on are not masked: GraphQL errors, and `InvalidQuery` raised by the store or a resolver for
  a bad filter, cursor or page size;
- `StoreUnavailable` in a resolver (a store adapter that gave up before the deadline: a short
  Neo4j retry, a SQLite file locked past its busy timeout) is neither a bug nor the caller's
  doing: `store_unavailable` words it as the store being down (code STORE_UNAVAILABLE).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from credgraph.api.core_schema import core_schema
from credgraph.api.documents import CACHED_DOCUMENT_BYTES, DocumentCache, Prepared
from credgraph.api.http.request_info import current_request_id
from credgraph.api.query_cost import full_introspection_cost, introspects_only
from credgraph.errors import InvalidQuery, StoreUnavailable, shown_url

if TYPE_CHECKING:
    from credgraph.api.settings import ApiSettings

log = logging.getLogger("credgraph.api")

ExtensionFactory = Callable[[], SchemaExtension]
# Parsed and validated documents kept per process (LRU), and at most CACHED_DOCUMENT_BYTES
# (32 MB) of what they hold (`DocumentCache.held_bytes`): ~20 admitted documents of 2,000
# tokens, or 1,000 refused ones of 32 KB of text.
CACHED_DOCUMENTS = 1000
# graphql-core compares every pair of fields with the same response name in a selection
# (OverlappingFieldsCanBeMerged): 500 copies of one field cost seconds of CPU to validate.
MAX_REPEATED_FIELD = 30
SAFE_ERRORS: tuple[type[BaseException], ...] = (GraphQLError, InvalidQuery)


def document_cache(settings: ApiSettings) -> DocumentCache:
    """The checked-document cache for `settings`: its depth, alias and token limits."""
    return DocumentCache(
        max_tokens=settings.max_tokens,
        max_repeats=MAX_REPEATED_FIELD,
        max_depth=settings.max_depth,
        max_aliases=settings.max_aliases,
        maxsize=CACHED_DOCUMENTS,
        max_bytes=CACHED_DOCUMENT_BYTES,
    )


def limit_extensions(
    settings: ApiSettings, documents: DocumentCache | None = None
) -> list[ExtensionFactory]:
    """The limits for `settings`, as factories (one extension per request).

    The document cache (`documents`, else a new `document_cache(settings)`) is built once,
    so a document's verdict outlives the request that checked it; the cost check reads the
    variables and so runs just before execution.
    """
    s = settings
    documents = documents if documents is not None else document_cache(settings)
    return [
        lambda: DocumentLimits(
            documents, max_cost=s.max_cost, default_list_size=s.default_list_size
        ),
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


def shown_error(error: GraphQLError) -> GraphQLError:
    """`error` as the caller sees it: the store being down said so, a bug masked."""
    if isinstance(error.original_error, StoreUnavailable):
        return store_unavailable(error, error.original_error)
    return mask_error(error) if is_internal(error) else error


def store_unavailable(error: GraphQLError, why: StoreUnavailable) -> GraphQLError:
    """The field `error` names failed because the store cannot be reached; the endpoint
    answers 503, as for an operation stopped while the store does not answer."""
    return GraphQLError(
        f"The store is unavailable ({shown_url(str(why))[:300]}); try again once it is back.",
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "STORE_UNAVAILABLE"},
    )


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


# -- documents -------------------------------------------------------------------------------

# Whether the request named the operation to run (`operationName`). Strawberry runs a
# document's first operation when none is named; GraphQL over HTTP asks for a name when the
# document holds several, so the endpoint says whether one was given (`named_by_request`) and
# the checks below refuse a document of several operations without one. Unset (a schema
# executed directly, as the tests and `credgraph graphql` do): no refusal.
_NAMED_BY_REQUEST: ContextVar[bool] = ContextVar("credgraph_operation_named", default=True)


@contextmanager
def named_by_request(named: bool) -> Iterator[None]:
    token = _NAMED_BY_REQUEST.set(named)
    try:
        yield
    finally:
        _NAMED_BY_REQUEST.reset(token)


def unnamed_among_several(document_operations: int) -> GraphQLError | None:
    """The refusal of an operation the request did not name, in a document of several."""
    if document_operations < 2 or _NAMED_BY_REQUEST.get():
        return None
    return GraphQLError(
        f"The document holds {document_operations} operations: name the one to run with "
        "`operationName`.",
        extensions={"code": "BAD_USER_INPUT"},
    )


class DocumentLimits(SchemaExtension):
    """Parse, limit and validate through `documents` (once per distinct query text), then
    refuse an operation whose estimated cost exceeds `max_cost`, before it runs."""

    def __init__(self, documents: DocumentCache, *, max_cost: int, default_list_size: int) -> None:
        self.documents = documents
        self.max_cost = max_cost
        self.default_list_size = default_list_size
        self.prepared: Prepared | None = None

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.query and ctx.graphql_document is None:
            self.prepared = self.documents.prepare(
                core_schema(ctx.schema), ctx.query, validation_rules=ctx.validation_rules
            )
            if self.prepared is not None:
                ctx.graphql_document = self.prepared.document
            else:  # strawberry parses again, within the same token limit, and reports why
                ctx.parse_options["max_tokens"] = self.documents.max_tokens
        yield

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if self.prepared is not None and ctx.pre_execution_errors is None:
            ctx.pre_execution_errors = list(self.prepared.errors)  # [] lets it run
        yield

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        prepared = self.prepared
        if prepared is not None:
            unnamed = unnamed_among_several(
                sum(isinstance(d, OperationDefinitionNode) for d in prepared.document.definitions)
            )
            if unnamed is not None:
                ctx.result = GraphQLExecutionResult(data=None, errors=[unnamed])  # skips it
                yield
                return
        operation = prepared.operation(ctx.operation_name) if prepared else None
        if prepared is not None and operation is not None:
            schema = core_schema(ctx.schema)
            cost = prepared.cost(schema, operation, ctx.variables or {}, self.default_list_size)
            limit = self.max_cost
            if introspects_only(operation):  # the explorer's own query is never locked out
                limit = max(limit, full_introspection_cost(schema))
            if cost > limit:
                error = too_expensive(operation, cost, limit)
                ctx.result = GraphQLExecutionResult(data=None, errors=[error])  # skips execution
        yield


def too_expensive(operation: OperationDefinitionNode, cost: int, max_cost: int) -> GraphQLError:
    name = operation.name.value if operation.name else "anonymous"
    return GraphQLError(
        f"Operation {name!r} is too expensive: estimated cost {cost} exceeds the limit of "
        f"{max_cost}. Ask for fewer items (`first`) or fewer nested lists.",
        operation,
        extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost},
    )


# -- timeout ---------------------------------------------------------------------------------


def store_unanswering(seconds: float, why: Exception) -> GraphQLError:
    reason = str(why) or "no answer to a health check"
    return GraphQLError(
        f"The operation took longer than {seconds:g} s and was stopped: the store does not "
        f"answer ({reason[:300]}); try again once it is back.",
        extensions={"code": "TIMEOUT"},
    )


def timed_out(seconds: float) -> GraphQLError:
    return GraphQLError(
        f"The operation took longer than {seconds:g} s and was stopped; "
        "ask for less (fewer items or fewer nested fields).",
        extensions={"code": "TIMEOUT"},
    )
