"""The browser side of the API: `/explorer`, `/compare`, `/embed.js` and their `/static` assets.

Pages and assets hold no data (they ask `/graphql` for it, under its keys and limits), so
`public_paths()` lists them for the client gate to let through: a browser cannot send an
API key for a stylesheet.
"""

from __future__ import annotations

from pathlib import Path

from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from credgraph.api.http.compare import compare_page
from credgraph.api.http.embed import embed_script
from credgraph.api.http.explorer import Explorer

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PAGE_PATHS = ("/explorer", "/compare", "/embed.js")


def page_routes(explorer: Explorer) -> list[Route | Mount]:
    return [
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
