"""`/embed.js`: the script a job board adds to its pages to turn
`<div data-credgraph-credential="ID">` into a credential card.

A `<script src>` needs no CORS; the card's GraphQL request from the job board's page does,
so its origin must be in `CREDGRAPH_CORS_ORIGINS`.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from credgraph.api.http.caching import file_response

_SCRIPT = Path(__file__).resolve().parent.parent / "static" / "embed" / "embed.js"


async def embed_script(request: Request) -> Response:
    return file_response(
        request,
        _SCRIPT,
        media_type="text/javascript; charset=utf-8",
        # Short: a job board's pages pick up a new card design within minutes.
        headers={"Cache-Control": "public, max-age=300"},
    )
