"""CORS from the allow-list in settings (`CREDGRAPH_CORS_ORIGINS`); none configured, none sent.

A preflight from an origin not on the list is refused (400) and other responses carry no
`Access-Control-Allow-Origin`, so browsers on other sites cannot read the answers. `*` allows
every origin. No cookies are involved, so credentials are never allowed.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from credgraph.api.settings import ApiSettings


def cors_middleware(settings: ApiSettings) -> list[Middleware]:
    if not settings.cors_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization", "X-API-Key", "X-Request-Id"],
            expose_headers=["X-Request-Id", "ETag", "Retry-After"],
            allow_credentials=False,
            max_age=600,
        )
    ]
