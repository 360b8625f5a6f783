"""`/compare?ids=a,b,c`: a plain page (static HTML, JS and CSS) that compares up to four
credentials through the public `/graphql`; the ids live in the URL so a comparison can be shared."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from credgraph.api.http.caching import file_response
from credgraph.api.http.explorer import PAGE_CSP

_PAGE = Path(__file__).resolve().parent.parent / "static" / "compare" / "index.html"


async def compare_page(request: Request) -> Response:
    return file_response(
        request,
        _PAGE,
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-cache"},
    )
