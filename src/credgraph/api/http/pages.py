"""The browser side of the API: `/` (landing), `/explorer`, `/compare`, `/embed.js`,
`/schema.graphql`, the favicon and their `/static` assets.

Pages and assets hold no data (they ask `/graphql` for it, under its keys and limits), so
`public_paths()` lists them for the client gate to let through: a browser cannot send an
API key for a stylesheet.
"""

from __future__ import annotations

from pathlib import Path

import strawberry
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from credgraph.api.http.compare import compare_page
from credgraph.api.http.embed import embed_script
from credgraph.api.http.explorer import Explorer
from credgraph.api.http.home import favicon, home_page, schema_document

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PAGE_PATHS = (
    "/",
    "/explorer",
    "/compare",
    "/embed.js",
    "/schema.graphql",
    "/favicon.svg",
    "/favicon.ico",
)


def page_routes(explorer: Explorer, schema: strawberry.Schema) -> list[Route | Mount]:
    return [
        Route("/", home_page, methods=["GET", "HEAD"]),
        Route("/favicon.svg", favicon, methods=["GET", "HEAD"]),
        Route("/favicon.ico", favicon, methods=["GET", "HEAD"]),
        Route("/schema.graphql", schema_document(schema), methods=["GET", "HEAD"]),
        Route("/explorer", explorer.page, methods=["GET", "HEAD"]),
        Route("/compare", compare_page, methods=["GET", "HEAD"]),
        Route("/embed.js", embed_script, methods=["GET", "HEAD"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]


def public_paths() -> tuple[str, ...]:
    """The pages and every file under `/static` (the bundle is fixed at install time)."""
    assets = sorted(
        f"/static/{p.relative_to(STATIC_DIR).as_posix()}"
        for p in STATIC_DIR.rglob("*")
        if p.is_file()
    )
    return (*PAGE_PATHS, *assets)
