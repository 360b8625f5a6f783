"""Prometheus metrics of one app, in a registry of its own (no process-global state).

    credgraph_http_requests_total{path,method,status}
    credgraph_http_request_duration_seconds{path}                 histogram
    credgraph_graphql_operations_total{operation,outcome}         outcome: ok | error
    credgraph_graphql_operation_duration_seconds{operation}       histogram
    credgraph_graphql_errors_total{code}
    credgraph_http_rejected_total{reason}                         unauthorized | rate_limited
    credgraph_store_call_duration_seconds{method}                 histogram, every store call
    process_* and python_gc_*                                     from prometheus_client

Operation names come from clients, so only the first `MAX_OPERATION_NAMES` distinct
well-formed names get a series of their own; the rest count as "other". With several worker
processes each has its own numbers (scrape each, or run one worker per container).
"""

from __future__ import annotations

import functools
import inspect
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, cast

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    GCCollector,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from starlette.requests import Request
from starlette.responses import Response

from credgraph.store.base import GraphStore

MAX_OPERATION_NAMES = 200
MAX_CACHED_CHILDREN = 4096  # label sets are bounded (names, paths, statuses): a guard only
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_LATENCY = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_STORE_LATENCY = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2.5)


class ApiMetrics:
    def __init__(self) -> None:
        r = self.registry = CollectorRegistry()
        ProcessCollector(registry=r)
        GCCollector(registry=r)
        self.http_requests = Counter(
            "credgraph_http_requests", "HTTP requests.", ["path", "method", "status"], registry=r
        )
        self.http_seconds = Histogram(
            "credgraph_http_request_duration_seconds", "Time to answer an HTTP request.",
            ["path"], buckets=_LATENCY, registry=r,
        )  # fmt: skip
        self.operations = Counter(
            "credgraph_graphql_operations", "GraphQL operations by name and outcome.",
            ["operation", "outcome"], registry=r,
        )  # fmt: skip
        self.operation_seconds = Histogram(
            "credgraph_graphql_operation_duration_seconds", "Time to run a GraphQL operation.",
            ["operation"], buckets=_LATENCY, registry=r,
        )  # fmt: skip
        self.errors = Counter(
            "credgraph_graphql_errors", "GraphQL errors returned, by code.", ["code"], registry=r
        )
        self.rejected = Counter(
            "credgraph_http_rejected", "Requests refused before GraphQL.", ["reason"], registry=r
        )
        self.store_seconds = Histogram(
            "credgraph_store_call_duration_seconds", "Time of each call into the graph store.",
            ["method"], buckets=_STORE_LATENCY, registry=r,
        )  # fmt: skip
        self._names: set[str] = set()
        self._children: dict[tuple[int, tuple[str, ...]], Any] = {}

    def _child(self, metric: Counter | Histogram, *labels: str) -> Any:
        """`metric.labels(*labels)`, remembered: prometheus_client checks and hashes the
        labels under a lock on every call, four times a request."""
        key = (id(metric), labels)
        found = self._children.get(key)
        if found is None:
            if len(self._children) >= MAX_CACHED_CHILDREN:
                self._children.clear()
            found = self._children[key] = metric.labels(*labels)
        return found

    def operation_label(self, name: str) -> str:
        if name in self._names:
            return name
        if _NAME.fullmatch(name) and len(self._names) < MAX_OPERATION_NAMES:
            self._names.add(name)
            return name
        return "other"

    def observe_operation(
        self, name: str, seconds: float, errors: Iterable[Mapping[str, Any]]
    ) -> None:
        label = self.operation_label(name)
        codes = [(e.get("extensions") or {}).get("code") or "GRAPHQL_ERROR" for e in errors]
        self._child(self.operations, label, "error" if codes else "ok").inc()
        self._child(self.operation_seconds, label).observe(seconds)
        for code in codes:
            self.errors.labels(str(code)[:40]).inc()

    def observe_request(self, path: str, method: str, status: int, seconds: float) -> None:
        self._child(self.http_requests, path, method, str(status)).inc()
        self._child(self.http_seconds, path).observe(seconds)

    async def endpoint(self, request: Request) -> Response:
        return Response(
            generate_latest(self.registry),
            headers={"Cache-Control": "no-store"},
            media_type=CONTENT_TYPE_LATEST,
        )


class TimedStore:
    """Forwards everything to `store`, timing each of its coroutine methods by name.

    The timed wrappers are made once per method name and kept: building one (and looking
    its histogram child up by label) on every attribute access cost more than the timing.
    """

    def __init__(self, store: GraphStore, histogram: Histogram) -> None:
        self._store = store
        self._histogram = histogram
        self._timed: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        found = self._timed.get(name)
        if found is not None:
            return found
        attr = getattr(self._store, name)
        if not inspect.iscoroutinefunction(attr):
            return attr
        timed = self._timed[name] = _timed(attr, self._histogram.labels(name))
        return timed


def timed_store(store: GraphStore, histogram: Histogram) -> GraphStore:
    """`store` with every coroutine method timed into `histogram` (labelled by method name),
    typed as the port it forwards to so callers are checked against the store's methods."""
    return cast(GraphStore, TimedStore(store, histogram))


def _timed(method: Callable[..., Awaitable[Any]], histogram: Any) -> Callable[..., Any]:
    @functools.wraps(method)
    async def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await method(*args, **kwargs)
        finally:
            histogram.observe(time.perf_counter() - started)

    return timed
