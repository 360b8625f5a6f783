"""`/healthz`: 200 when the store answers a ping within `timeout`, else 503. `/readyz`: the
same, and 503 while an index begun at startup still builds or the verifier's workers still
start (`credgraph.api.warming`): what a load balancer should route by, while `/healthz` says
the process is alive."""

from __future__ import annotations

import asyncio
import logging
import time

from starlette.requests import Request
from starlette.responses import Response

from credgraph.api.http.request_info import current_request_id
from credgraph.api.http.responses import json_response
from credgraph.api.warming import IndexWarmup, WorkersWarmup
from credgraph.store import GraphStore

log = logging.getLogger("credgraph.api")


class HealthCheck:
    def __init__(self, store: GraphStore, *, timeout: float = 2.0) -> None:
        self.store = store
        self.timeout = timeout

    async def endpoint(self, request: Request) -> Response:
        return await self.answer()

    async def answer(self, **more: object) -> Response:
        started = time.perf_counter()
        try:
            await asyncio.wait_for(self.store.ping(), self.timeout)
        except Exception as exc:
            # The reason goes to the log only: it may name hosts or paths.
            log.warning(
                "health check: store unavailable (request id %s): %s",
                current_request_id(), str(exc) or type(exc).__name__,
            )  # fmt: skip
            return json_response({"status": "unavailable", "store": "unavailable"}, 503)
        latency_ms = round((time.perf_counter() - started) * 1000, 3)
        return json_response(
            {"status": "ok", "store": "ok", "store_latency_ms": latency_ms, **more}
        )


class ReadyCheck:
    def __init__(self, health: HealthCheck, warmup: IndexWarmup, workers: WorkersWarmup) -> None:
        self.health = health
        self.warmup = warmup
        self.workers = workers

    async def endpoint(self, request: Request) -> Response:
        indexes = {name: state.value for name, state in self.warmup.state.items()}
        workers = {name: state.value for name, state in self.workers.state.items()}
        if not (self.warmup.ready and self.workers.ready):
            return json_response(
                {"status": "building", "indexes": indexes, "workers": workers}, 503
            )
        return await self.health.answer(indexes=indexes, workers=workers)
