"""The HTTP app: `create_app(settings)` builds a Starlette app from lists of routes and
middleware; its lifespan opens the store on startup and closes it on shutdown.

    app = create_app(load_settings(store_url="sqlite:///graph.db"))
    uvicorn.run(app)                      # or `credgraph serve`

Nothing happens at import time; `create_app` does no network or database I/O (it reads the
persisted-query allow-list file, so a bad file fails before the server starts).

Middleware, outermost first: Observe (request id, access log, metrics) -> CORS -> ClientGate
(API keys, rate limits) -> routes `/graphql`, `/healthz`, `/readyz`, `/metrics`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

import strawberry
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from credgraph.api.context import make_context
from credgraph.api.http.cors import cors_middleware
from credgraph.api.http.explorer import Explorer
from credgraph.api.http.export import ExportEndpoint, ExportScope
from credgraph.api.http.gate import ClientGate
from credgraph.api.http.graphql import GraphQLEndpoint
from credgraph.api.http.health import HealthCheck, ReadyCheck
from credgraph.api.http.metrics import ApiMetrics, timed_store
from credgraph.api.http.observe import Observe
from credgraph.api.http.pages import page_routes, public_paths
from credgraph.api.http.persisted import PersistedQueries, load_allow_list
from credgraph.api.http.ratelimit import TokenBuckets
from credgraph.api.http.request_info import RecordOperation
from credgraph.api.http.verify import Verification, VerifierScope, store_seconds_within
from credgraph.api.limits import ExtensionFactory, document_cache, limit_extensions
from credgraph.api.schema import build_schema
from credgraph.api.settings import ApiSettings, load_settings
from credgraph.api.warming import IndexWarmup, WorkerPool, WorkersWarmup
from credgraph.collector import tune_for_serving
from credgraph.export.slots import ExportSlots
from credgraph.match.fetching import PAGE_PARSERS
from credgraph.store import GraphStore, open_store
from credgraph.verify import Verifier

SchemaFactory = Callable[[Sequence[ExtensionFactory]], strawberry.Schema]
_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def create_app(
    settings: ApiSettings | None = None,
    *,
    store: GraphStore | None = None,
    schema_factory: SchemaFactory | None = None,
    verifier: Verifier | None = None,
) -> Starlette:
    """The API for `settings`; `store` (opened and closed by the app) defaults to its URL;
    `verifier` (badge verification, SSRF guard on) to `Verifier()`."""
    settings = settings or ApiSettings()
    store = store if store is not None else open_store(settings.store_url)
    metrics = ApiMetrics() if settings.metrics else None
    served = timed_store(store, metrics.store_seconds) if metrics else store
    documents = document_cache(settings)
    extensions = [*limit_extensions(settings, documents), RecordOperation]
    schema = (schema_factory or build_api_schema)(extensions)
    allow_list = load_allow_list(settings.persisted_queries) if settings.persisted_queries else {}
    persisted = PersistedQueries(
        allow_list,
        required=settings.require_persisted_queries,
        apq_cache_size=settings.apq_cache_size,
    )
    graphql = GraphQLEndpoint(
        settings=settings,
        schema=schema,
        persisted=persisted,
        make_context=lambda: make_context(served),
        metrics=metrics,
    )
    verification = Verification(
        verifier or Verifier(),
        served,
        TokenBuckets(settings.verify_rate_per_client, settings.verify_burst_per_client),
        store_seconds=store_seconds_within(settings.timeout_seconds),
    )
    exports = ExportSlots(settings.max_concurrent_exports)  # shared by /export and GraphQL
    export = ExportEndpoint(served, slots=exports, seconds=settings.export_seconds)
    # The page is outside keys (a browser cannot send one for it): where keys are required,
    # its examples must not show ids read from the graph to whoever asks.
    explorer = Explorer(served, examples_from_store=not settings.require_api_key)
    health = HealthCheck(served)
    # keyed on the store requests read (`served`), as the indexes' caches are
    warmup = IndexWarmup(served, enabled=settings.warm_indexes)
    check_workers = WorkersWarmup(
        {
            "verification": WorkerPool(
                verification.verifier.workers.started, enabled=settings.warm_verifier
            ),
            "posting_pages": WorkerPool(PAGE_PARSERS.start, enabled=settings.warm_page_parsers),
        }
    )
    routes = [
        Route("/graphql", explorer.or_graphql(graphql.handle), methods=_ALL_METHODS),
        Route("/healthz", health.endpoint, methods=["GET"]),
        Route("/readyz", ReadyCheck(health, warmup, check_workers).endpoint, methods=["GET"]),
        Route("/export", export.endpoint, methods=["GET"]),
        Route("/verify", verification.endpoint, methods=["POST"]),
        *page_routes(explorer, schema),
    ]
    if metrics is not None:
        routes.append(Route("/metrics", metrics.endpoint, methods=["GET"]))
    middleware = [
        Middleware(
            Observe,
            metrics=metrics,
            log_access=settings.access_log != "off",
            paths=frozenset(r.path for r in routes),
        ),
        *cors_middleware(settings),
        Middleware(
            ClientGate,
            settings=settings,
            metrics=metrics,
            exempt=("/healthz", "/readyz", "/metrics", *public_paths()),
        ),
        Middleware(VerifierScope, verification=verification),
        Middleware(ExportScope, slots=exports),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.open()
        check_workers.start()
        warmup.start()
        try:
            yield
        finally:
            await check_workers.stop()
            await warmup.stop()
            await store.close()
            await verification.verifier.aclose()  # its worker processes
            await PAGE_PARSERS.aclose()  # matchJob(url)'s, if a page was read

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.settings = settings
    app.state.store = store
    app.state.warmup = warmup
    return app


def create_app_from_env() -> Starlette:
    """`create_app` with settings from `CREDGRAPH_*` (the entry point of each worker process)."""
    app = create_app(load_settings())
    tune_for_serving()
    return app


def build_api_schema(extensions: Sequence[ExtensionFactory]) -> strawberry.Schema:
    """The credgraph schema with the app's `extensions` (limits, operation records)."""
    return build_schema(extensions=list(extensions))
