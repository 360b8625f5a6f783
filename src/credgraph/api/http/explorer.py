"""`/explorer`: GraphiQL served from our own bundle (no CDN, no external fonts), opened on
named example operations; `/graphql` answers a browser's plain GET with the same page.

The bundle is built from npm's `graphiql` in `explorer/` and committed under
`credgraph/api/static/explorer/`, so an installed package serves it without Node.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from credgraph.api.http.explorer_examples import ExampleIds, example_tabs, pick_example_ids
from credgraph.errors import StoreError
from credgraph.store import GraphStore

Endpoint = Callable[[Request], Awaitable[Response]]
log = logging.getLogger("credgraph.api")

# How long a visit waits for the examples' ids (a healthy store answers in milliseconds; a
# Neo4j that is down holds a read for its whole retry), and how soon a visit after a failed
# read asks the store again.
EXAMPLES_SECONDS = 2.0
EXAMPLES_RETRY_SECONDS = 10.0

# Everything the page loads comes from this origin; the CSP makes a stray external load
# fail loudly in the browser instead of leaking requests from behind a firewall.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'self'"
)
# The query parameters that make a GET an operation rather than a visit.
_OPERATION_PARAMS = ("query", "extensions", "documentId", "id")

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>credgraph explorer</title>
<link rel="stylesheet" href="/static/explorer/explorer.css">
</head>
<body>
<div id="graphiql">Loading the explorer…</div>
<script id="credgraph-explorer-config" type="application/json">__CONFIG__</script>
<script src="/static/explorer/explorer.js"></script>
</body>
</html>
"""


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element (no `</script>` can close it early)."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e")


class Explorer:
    """The explorer page for the graph in `store`; `examples_from_store=False` opens it on
    placeholder ids instead (`ExampleIds()`), never reading the store, as it does while the
    store fails or does not answer."""

    def __init__(
        self,
        store: GraphStore,
        endpoint: str = "/graphql",
        examples_ttl: float = 60.0,
        *,
        examples_from_store: bool = True,
    ) -> None:
        self.store = store
        self.endpoint = endpoint
        self.examples_ttl = examples_ttl
        self.examples_from_store = examples_from_store
        self._examples: tuple[float, ExampleIds] | None = None

    async def page(self, request: Request) -> Response:
        tabs = example_tabs(await self._example_ids())
        html = _PAGE.replace("__CONFIG__", _script_json({"endpoint": self.endpoint, "tabs": tabs}))
        return HTMLResponse(
            html, headers={"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-cache"}
        )

    async def _example_ids(self) -> ExampleIds:
        if not self.examples_from_store:
            return ExampleIds()
        # Kept for a minute: the page is outside keys and rate limits, so a visit must not
        # cost a store query every time. `_examples` holds when they expire.
        now = time.monotonic()
        if self._examples is None or now > self._examples[0]:
            self._examples = await self._read_example_ids(now)
        return self._examples[1]

    async def _read_example_ids(self, now: float) -> tuple[float, ExampleIds]:
        """Ids read from the store, kept `examples_ttl`; the placeholders, kept
        EXAMPLES_RETRY_SECONDS, when the store fails or does not answer within
        EXAMPLES_SECONDS: examples are a convenience, the page must open while it is down."""
        try:
            async with asyncio.timeout(EXAMPLES_SECONDS):
                return now + self.examples_ttl, await pick_example_ids(self.store)
        except (StoreError, TimeoutError) as exc:
            log.warning("the explorer opens on placeholder examples: %s", str(exc) or "no answer")
            return now + min(EXAMPLES_RETRY_SECONDS, self.examples_ttl), ExampleIds()

    def or_graphql(self, graphql: Endpoint) -> Endpoint:
        """`graphql`, except that a browser's GET without an operation gets the explorer."""

        async def endpoint(request: Request) -> Response:
            if wants_page(request):
                return await self.page(request)
            return await graphql(request)

        return endpoint


def wants_page(request: Request) -> bool:
    """A GET asking for HTML (a browser's address bar) and naming no operation."""
    if request.method not in ("GET", "HEAD"):
        return False
    if any(p in request.query_params for p in _OPERATION_PARAMS):
        return False
    return "text/html" in request.headers.get("accept", "")
