"""`/`, `/favicon.svg` (also answering `/favicon.ico`) and `/schema.graphql`: the landing page
that links the explorer, the compare page, the API reference and health; the icon; and the
schema this server answers, as SDL, for people and code generators."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import strawberry
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from credgraph.api.http.caching import file_response
from credgraph.api.http.explorer import PAGE_CSP

_STATIC = Path(__file__).resolve().parent.parent / "static"
_HOME = _STATIC / "home" / "index.html"
FAVICON = _STATIC / "favicon.svg"


async def home_page(request: Request) -> Response:
    return file_response(
        request,
        _HOME,
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-cache"},
    )


async def favicon(request: Request) -> Response:
    return file_response(
        request,
        FAVICON,
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def schema_document(schema: strawberry.Schema) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint serving `schema` as SDL, printed at the first request and kept (the schema
    is fixed once the app is built)."""
    printed: list[str] = []

    async def endpoint(request: Request) -> Response:
        if not printed:
            printed.append(schema.as_str() + "\n")
        return PlainTextResponse(printed[0], headers={"Cache-Control": "no-cache"})

    return endpoint
