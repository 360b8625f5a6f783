"""API keys and rate limits, checked before any GraphQL work.

Keys come from settings (`CREDGRAPH_API_KEYS`) and are sent as `Authorization: Bearer <key>` or
`X-API-Key: <key>`. A presented key that is not known is refused (401) whether or not keys are
required; with `require_api_key` a request without one is refused too. A request with a valid
key is limited per key, one without per client IP; past the limit the answer is 429 with
`Retry-After`. Logs and metrics name a key only by a short fingerprint of its hash.

Guessing keys is limited per client address: each refused key takes a token from a bucket
of `FAILED_KEYS_BURST` (10) refilled at `FAILED_KEYS_PER_MINUTE` (10) a minute, so the 11th
wrong key within a minute, and one every 6 s after that, is answered 429 with `Retry-After`.
While an address's bucket is empty every key it presents is refused unchecked (a right one
too, or the answer would tell a guess right from wrong); keys from other addresses, and
requests without a key, are not affected.
`/healthz` and `/metrics` are neither authenticated nor limited (keep them off the public edge).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Collection, Iterable
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from credgraph.api.http.metrics import ApiMetrics
from credgraph.api.http.ratelimit import TokenBuckets
from credgraph.api.http.request_info import current_request
from credgraph.api.http.responses import HttpProblem
from credgraph.api.settings import ApiSettings

_SCOPE_KEY = "credgraph.gate"
FAILED_KEYS_BURST = 10
FAILED_KEYS_PER_MINUTE = 10


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeys:
    """Known keys, held and compared only as sha256 digests."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._labels = {_digest(k): f"key:{_digest(k)[:8]}" for k in keys}

    def __bool__(self) -> bool:
        return bool(self._labels)

    def identify(self, presented: str) -> str | None:
        """The key's label ("key:<fingerprint>"), or None when it is not a known key."""
        return self._labels.get(_digest(presented))


def presented_key(headers: Headers) -> str | None:
    explicit = headers.get("x-api-key")
    if explicit:
        return explicit.strip()
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return None


class RateLimited(Exception):
    def __init__(self, wait: float, what: str = "requests") -> None:
        super().__init__(f"rate limited for {wait:.2f} s")
        self.retry_after = max(1, math.ceil(wait))
        self.what = what

    def response(self) -> Response:
        return HttpProblem(
            429,
            f"Too many {self.what}: try again in {self.retry_after} s.",
            "RATE_LIMITED",
            {"Retry-After": str(self.retry_after)},
        ).response()


def charge_extra(scope: Scope, tokens: int) -> None:
    """Take `tokens` more from the caller's bucket (a batch costs one per operation)."""
    entry = scope.get(_SCOPE_KEY)
    if entry is None or tokens <= 0:
        return
    buckets, client = entry
    wait = buckets.take(client, tokens)
    if wait:
        raise RateLimited(wait)


class ClientGate:
    """ASGI middleware: identify the caller, refuse unknown keys, apply the rate limits."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: ApiSettings,
        metrics: ApiMetrics | None = None,
        exempt: Collection[str] = ("/healthz", "/metrics"),
    ) -> None:
        self.app = app
        self.keys = ApiKeys(settings.api_keys)
        self.require_key = settings.require_api_key
        self.per_ip = TokenBuckets(settings.rate_limit_per_ip, settings.rate_burst_per_ip)
        self.per_key = TokenBuckets(settings.rate_limit_per_key, settings.rate_burst_per_key)
        self.failed_keys = TokenBuckets(FAILED_KEYS_PER_MINUTE / 60, FAILED_KEYS_BURST)
        self.metrics = metrics
        self.exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        refusal = self._check(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _check(self, scope: Scope) -> Response | None:
        label = None
        client: Any = scope.get("client")
        address = f"ip:{client[0] if client else 'unknown'}"
        presented = presented_key(Headers(scope=scope)) if self.keys else None
        if presented is not None:
            guessing = self.failed_keys.wait(address)
            if guessing:
                self._count("failed_keys")
                return RateLimited(guessing, "wrong API keys from this address").response()
            label = self.keys.identify(presented)
            if label is None:
                self.failed_keys.take(address)
                return self._unauthorized("Invalid API key.")
        elif self.require_key:
            return self._unauthorized(
                "An API key is required: send `Authorization: Bearer <key>` or `X-API-Key`."
            )
        caller = label or address
        info = current_request()
        if info is not None:
            info.client_label = caller
        buckets = self.per_key if label else self.per_ip
        wait = buckets.take(caller)
        if wait:
            self._count("rate_limited")
            return RateLimited(wait).response()
        scope[_SCOPE_KEY] = (buckets, caller)
        return None

    def _unauthorized(self, message: str) -> Response:
        self._count("unauthorized")
        return HttpProblem(
            401, message, "UNAUTHENTICATED", {"WWW-Authenticate": 'Bearer realm="credgraph"'}
        ).response()

    def _count(self, reason: str) -> None:
        if self.metrics is not None:
            self.metrics.rejected.labels(reason).inc()
