"""`POST /verify`: verify the badge a candidate lists.

    POST /verify  {"url": "https://badges.example/assertions/1"}
    POST /verify  {"document": {...OpenBadgeCredential...}, "identity": "alice@example.org"}
    POST /verify  {"document": "eyJhbGciOiJSUzI1NiJ9...."}        (a compact JWS)

200 with the result (status, checks, recipient, dates, issuer, achievements mapped onto the
graph; `matchesRecipient` when `identity` is given; while the store is down, the same verdict
with the achievements unmapped and a `definition` check saying so), 400 naming what is wrong with the body,
413 past the body cap, 415 for a body not sent as `application/json` (as /graphql: no other
website can make a visitor's browser run verifications with a form or a `no-cors` fetch), 429 with Retry-After past this endpoint's own rate limit or while the
same client's previous verification is still running.

It fetches URLs strangers supply and canonicalises documents they write, so besides the API's
limits it has a stricter per-client bucket (one verification every two seconds, bursts of ten
by default) and one verification in flight per client (a second one while the first runs is
429: no client holds more than one of the verifier's worker processes), the Fetcher's SSRF
guard (never relaxed here), and short fetch timeouts. GraphQL's `verifyCredential` shares
the same verifier, bucket and in-flight limit: `VerifierScope` makes them reachable from
resolvers.
"""

from __future__ import annotations

import json
import math
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from credgraph.api.http.params import require_json
from credgraph.api.http.ratelimit import TokenBuckets
from credgraph.api.http.request_info import current_request
from credgraph.api.http.responses import HttpProblem, json_response
from credgraph.store.base import GraphStore
from credgraph.verify import VerificationInputError, VerificationResult, Verifier
from credgraph.verify.limits import STORE_SECONDS
from credgraph.verify.serialise import result_json

MAX_BODY_BYTES = 300_000
_FIELDS = frozenset({"url", "document", "identity"})
_current: ContextVar[Verification | None] = ContextVar("credgraph_verification", default=None)


class TooManyVerifications(Exception):
    def __init__(self, wait: float, why: str = "too many verifications") -> None:
        super().__init__(f"{why}; retry in {math.ceil(wait)} s")
        self.wait = wait


@dataclass(slots=True)
class Verification:
    """The verifier, the store it maps results onto, the per-client bucket and the clients
    with a verification in flight."""

    verifier: Verifier
    store: GraphStore
    buckets: TokenBuckets = field(default_factory=lambda: TokenBuckets(0.5, 10))
    running: set[str] = field(default_factory=set)
    # How long a verification waits on the store (`store_seconds_within`): a store that is
    # down leaves the definitions unmapped, it never holds or fails the verdict.
    store_seconds: float = STORE_SECONDS

    async def verify(self, client: str, **given: Any) -> VerificationResult:
        """Verify for `client`; TooManyVerifications while another of its verifications
        runs, or past its bucket."""
        if client in self.running:
            # Its computing allowance bounds how long the running one can hold a worker.
            raise TooManyVerifications(
                self.verifier.compute_seconds,
                "one verification at a time per client, and yours is still running",
            )
        wait = self.buckets.take(client)
        if wait > 0:
            raise TooManyVerifications(wait)
        self.running.add(client)
        try:
            return await self.verifier.verify(
                store=self.store, store_seconds=self.store_seconds, **given
            )
        finally:
            self.running.discard(client)

    async def endpoint(self, request: Request) -> Response:
        try:
            body = await _read_body(request)
            result = await self.verify(client_of(request.scope), url=body.get("url"),
                                       document=body.get("document"))  # fmt: skip
        except VerificationInputError as exc:
            return json_response({"error": str(exc)}, 400)
        except BodyTooLarge as exc:
            return json_response({"error": str(exc)}, 413)
        except HttpProblem as problem:
            return json_response({"error": problem.message}, problem.status)
        except TooManyVerifications as exc:
            return json_response(
                {"error": str(exc)}, 429, {"Retry-After": str(math.ceil(exc.wait))}
            )
        identity = body.get("identity")
        return json_response(result_json(result, identity if isinstance(identity, str) else None))


def store_seconds_within(deadline_seconds: float) -> float:
    """The store's share of an operation's deadline: half, so that a verification of a
    document (its checks within the workers' 2.5 s allowance) answers its verdict inside
    the deadline when the store does not answer, through /verify and through GraphQL's
    `verifyCredential` alike (there the deadline would otherwise stop it with a TIMEOUT)."""
    return deadline_seconds / 2


class BodyTooLarge(Exception):
    pass


async def _read_body(request: Request) -> dict[str, Any]:
    require_json(request)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BodyTooLarge(f"the body is over {MAX_BODY_BYTES:,} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BodyTooLarge(f"the body is over {MAX_BODY_BYTES:,} bytes")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        raise VerificationInputError('empty body: send JSON {"url": ...} or {"document": ...}')
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise VerificationInputError(f"the body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise VerificationInputError(f"the body must be a JSON object, got {type(body).__name__}")
    unknown = sorted(set(body) - _FIELDS)
    if unknown:
        raise VerificationInputError(f"unknown field(s) {unknown}; known: url, document, identity")
    if body.get("identity") is not None and not isinstance(body["identity"], str):
        raise VerificationInputError("`identity` must be a string (an email address...)")
    return body


def client_of(scope: Scope) -> str:
    """The caller as the API gate labelled it (API key or IP), else its address."""
    info = current_request()
    if info is not None and info.client_label:
        return info.client_label
    client = scope.get("client")
    return f"ip:{client[0] if client else 'unknown'}"


def current_verification() -> Verification | None:
    """The app's Verification while one of its requests runs (for GraphQL resolvers)."""
    return _current.get()


class VerifierScope:
    """Makes the app's Verification reachable from any layer of a request (a context
    variable costs nothing when unused, unlike a field every GraphQL context would carry)."""

    def __init__(self, app: ASGIApp, *, verification: Verification) -> None:
        self.app = app
        self.verification = verification

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _current.set(self.verification)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
