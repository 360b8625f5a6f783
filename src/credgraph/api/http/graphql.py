"""`/graphql`: POST (JSON, optionally batched) and GET (queries only, cacheable).

Status codes: 200 once execution started (field errors travel in the body, as GraphQL has it);
400 for documents that fail to parse or validate (limits included); 405 for a mutation over GET;
413/415 for bodies too large or not JSON; 503 when an operation timed out (TIMEOUT, naming
the store when it does not answer) or a field could not be read because the store cannot be
reached (STORE_UNAVAILABLE). Batches answer 200 with one result per operation.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from credgraph.api.http.caching import cached_response
from credgraph.api.http.gate import RateLimited, charge_extra
from credgraph.api.http.metrics import ApiMetrics
from credgraph.api.http.params import read_get, read_post
from credgraph.api.http.persisted import Operation, PersistedQueries
from credgraph.api.http.request_info import current_request
from credgraph.api.http.responses import HttpProblem, dump, json_response
from credgraph.api.limits import named_by_request, shown_error, store_unanswering, timed_out
from credgraph.api.settings import ApiSettings
from credgraph.errors import StoreError

ContextFactory = Callable[[], Any | Awaitable[Any]]
STORE_CHECK_SECONDS = 2.0  # after a timeout, how long the store gets to show it answers
BUSY_RETRY_AFTER_S = 1  # a BUSY answer: threads free as the readers ahead (2 s at most) end
_QUERIES = frozenset({OperationType.QUERY})
_QUERIES_AND_MUTATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})
Outcome = tuple[int, dict[str, Any], dict[str, str]]


class GraphQLEndpoint:
    def __init__(
        self,
        *,
        settings: ApiSettings,
        schema: strawberry.Schema,
        persisted: PersistedQueries,
        make_context: ContextFactory,
        metrics: ApiMetrics | None,
    ) -> None:
        self.settings = settings
        self.schema = schema
        self.persisted = persisted
        self.make_context = make_context
        self.metrics = metrics

    async def handle(self, request: Request) -> Response:
        method = request.method
        if method not in ("GET", "HEAD", "POST"):
            return HttpProblem(
                405, f"{method} is not supported: use GET or POST.", "METHOD_NOT_ALLOWED",
                {"Allow": "GET, HEAD, POST"},
            ).response()  # fmt: skip
        try:
            if method == "POST":
                ops, batched = await read_post(request, self.settings)
                if batched:
                    charge_extra(request.scope, len(ops) - 1)
            else:
                ops, batched = [read_get(request.query_params, self.settings)], False
        except HttpProblem as problem:
            return problem.response()
        except RateLimited as limited:
            return limited.response()
        get = method != "POST"
        outcomes = [await self._run(op, get=get) for op in ops]
        if batched:
            return json_response([body for _, body, _ in outcomes])
        status, body, headers = outcomes[0]
        if get and status == 200 and "errors" not in body:
            return cached_response(
                dump(body),
                request.headers.get("if-none-match"),
                max_age=self.settings.cache_max_age,
                private=self.settings.require_api_key,
            )
        return json_response(body, status, headers)

    async def _run(self, op: Operation, *, get: bool) -> Outcome:
        started = time.perf_counter()
        info = current_request()
        seen = len(info.operations) if info else 0
        outcome = await self._execute(op, get=get)
        name = op.operation_name or op.document_id or "anonymous"
        if info is not None and len(info.operations) > seen:
            name = info.operations[-1]  # as the executed document names it
        elif info is not None:
            info.operations.append(name)
        if self.metrics is not None:
            self.metrics.observe_operation(
                name, time.perf_counter() - started, outcome[1].get("errors", ())
            )
        return outcome

    async def _execute(self, op: Operation, *, get: bool) -> Outcome:
        try:
            query = self.persisted.resolve(op, may_register=not get)
        except HttpProblem as problem:
            return problem.status, problem.body(), problem.headers
        if isinstance(query, dict):  # PersistedQueryNotFound and the like
            return 200, query, {}
        context = await self._context()
        seconds = self.settings.timeout_seconds
        try:
            # The operation's deadline is kept here rather than by a schema extension, which
            # cost an async hook's dispatch on every request; parsing and validation inside it
            # are cached per document and bounded by the document limits.
            async with asyncio.timeout(seconds):
                with named_by_request(op.operation_name is not None):
                    result = await self.schema.execute(
                        query,
                        variable_values=op.variables,
                        context_value=context,
                        operation_name=op.operation_name,
                        allowed_operation_types=_QUERIES if get else _QUERIES_AND_MUTATIONS,
                    )
        except TimeoutError:
            return _outcome(None, [await _timed_out(context, seconds)])
        except InvalidOperationTypeError as exc:
            refusal = _refuse_operation_type(exc.operation_type, get=get)
            return refusal.status, refusal.body(), refusal.headers
        except MissingQueryError:
            return 400, HttpProblem(400, "Missing query.").body(), {}
        except CannotGetOperationTypeError as exc:
            reason = (
                "The document holds several operations: name one with `operationName`."
                if exc.operation_name is None
                else exc.as_http_error_reason()
            )
            return 400, HttpProblem(400, reason).body(), {}
        errors = [shown_error(e) for e in result.errors or ()]
        return _outcome(result.data, errors)

    async def _context(self) -> Any:
        context = self.make_context()
        return await context if inspect.isawaitable(context) else context


def _refuse_operation_type(kind: OperationType, *, get: bool) -> HttpProblem:
    if get and kind is OperationType.MUTATION:
        return HttpProblem(
            405, "Mutations must be sent with POST, not GET.", "METHOD_NOT_ALLOWED",
            {"Allow": "POST"},
        )  # fmt: skip
    return HttpProblem(400, f"{kind.value}s are not supported.")


async def _timed_out(context: Any, seconds: float) -> GraphQLError:
    """Why the operation ran out of time: the store not answering (a Neo4j down holds every
    read until the deadline, and "ask for less" would not help), else the operation itself."""
    store = getattr(context, "store", None)
    if store is not None:
        try:
            async with asyncio.timeout(STORE_CHECK_SECONDS):
                await store.ping()
        except (StoreError, TimeoutError) as exc:
            return store_unanswering(seconds, exc)
    return timed_out(seconds)


def _outcome(data: dict[str, Any] | None, errors: list[GraphQLError]) -> Outcome:
    codes = {(e.extensions or {}).get("code") for e in errors}
    executed = data is not None or any(e.path is not None for e in errors)
    body: dict[str, Any] = {}
    if executed:
        body["data"] = data
    if errors:
        body["errors"] = [e.formatted for e in errors]
    if "BUSY" in codes:  # the process's threads for CPU work were all taken: ask again
        return 503, body, {"Retry-After": str(BUSY_RETRY_AFTER_S)}
    if codes & {"TIMEOUT", "STORE_UNAVAILABLE"}:  # the store is down, or the operation slow
        return 503, body, {}
    if "INTERNAL_SERVER_ERROR" in codes and not executed:
        return 500, body, {}
    return (200 if executed else 400), body, {}
