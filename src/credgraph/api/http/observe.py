"""The outermost middleware: a request id on every response, access logs, HTTP metrics, and a
last-resort 500 that names the request id instead of a stack trace.

Access log records go to the `credgraph.access` logger with the fields in `record.access`
(method, path, status, duration_ms, request_id, operation, client); `credgraph.api.http.logs`
formats them as text or JSON lines.
"""

from __future__ import annotations

import logging
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from credgraph.api.http import request_info
from credgraph.api.http.metrics import ApiMetrics
from credgraph.api.http.request_info import RequestInfo
from credgraph.api.http.responses import HttpProblem

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
access_log = logging.getLogger("credgraph.access")
log = logging.getLogger("credgraph.api")


class Observe:
    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: ApiMetrics | None,
        log_access: bool,
        paths: frozenset[str],
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.log_access = log_access
        self.paths = paths  # known paths; others are counted as "other"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        client = scope.get("client")
        info = RequestInfo(
            request_id=request_info.request_id_from(Headers(scope=scope).get("x-request-id")),
            client=client[0] if client else "unknown",
        )
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-Id"] = info.request_id
            await send(message)

        token = request_info.enter(info)
        try:
            await self.app(scope, receive, send_with_id)
        except ClientDisconnect:
            # The client left (or the server's body timeout closed it) before its request was
            # read: nobody is there to answer, and it is not the server's error.
            status = 499
            log.info("client disconnected before its request was read (request id %s)",
                     info.request_id)  # fmt: skip
        except Exception:
            log.exception("unhandled error (request id %s)", info.request_id)
            if response_started:
                raise
            await HttpProblem(
                500,
                f"Internal server error (request id {info.request_id})",
                "INTERNAL_SERVER_ERROR",
            ).response()(scope, receive, send_with_id)
        finally:
            request_info.leave(token)
            self._record(scope, info, status, time.perf_counter() - started)

    def _record(self, scope: Scope, info: RequestInfo, status: int, seconds: float) -> None:
        path = scope["path"] if scope["path"] in self.paths else "other"
        if self.metrics is not None:
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"
            self.metrics.observe_request(path, method, status, seconds)
        if not self.log_access:
            return
        fields = {
            "method": scope["method"],
            "path": scope["path"],
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "request_id": info.request_id,
            "operation": ",".join(info.operations) or None,
            "client": info.client_label or f"ip:{info.client}",
        }
        access_log.info(
            '%s "%s %s" %s %.1fms op=%s rid=%s',
            fields["client"], fields["method"], fields["path"], status, seconds * 1000,
            fields["operation"] or "-", info.request_id, extra={"access": fields},
        )  # fmt: skip
