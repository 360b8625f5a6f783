"""The browser side of the API: `/` (landing), `/explorer`, `/compare`, `/embed.js`,
`/schema.graphql`, the favicon and their `/static` assets.

Pages and assets hold no data (they ask `/graphql` for it, under its keys and limits), so
`public_paths()` lists them for the client gate to let through: a browser cannot send an
API key for a stylesheet.
"""

from __future__ import annotations

import os
from pathlib import Path

import strawberry
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

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
        Mount("/static", RevalidatedStaticFiles(directory=STATIC_DIR), name="static"),
    ]


class RevalidatedStaticFiles(StaticFiles):
    """`/static` files sent with `Cache-Control: no-cache`: a browser asks again at every use
    and gets a bodiless 304 while the file is unchanged. Without it a browser keeps a file it
    has for a guessed while (a tenth of its age since Last-Modified: days for an old install),
    so after an upgrade the new page (itself `no-cache`) ran the old scripts. Versioned URLs
    would save the 304s but need every page rewritten with the files' hashes."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "no-cache"
        return response


def public_paths() -> tuple[str, ...]:
    """The pages and every file under `/static` (the bundle is fixed at install time)."""
    assets = sorted(
        f"/static/{p.relative_to(STATIC_DIR).as_posix()}"
        for p in STATIC_DIR.rglob("*")
        if p.is_file()
    )
    return (*PAGE_PATHS, *assets)
