"""`credgraph serve`: the API under uvicorn.

One worker runs the app built here; `--workers N` hands the settings to N worker processes
through `CREDGRAPH_*` variables and each builds its own app (and its own rate limits and
metrics: see credgraph.api.settings). Either way connections go through
credgraph.api.http.server_protocol, which caps request heads and times out slow ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from typing import Any

import uvicorn

from credgraph.api.app import create_app
from credgraph.api.http.logs import logging_config
from credgraph.api.http.persisted import load_allow_list
from credgraph.api.http.server_limits import HttpLimits
from credgraph.api.http.server_protocol import LimitedHttpProtocol, protocol_with
from credgraph.api.settings import ApiSettings, load_settings
from credgraph.cli.ports import check_port_free
from credgraph.collector import tune_for_serving
from credgraph.errors import shown_url
from credgraph.store import default_store_url, open_store


def _http_limits(settings: ApiSettings) -> HttpLimits:
    return HttpLimits(
        settings.max_header_bytes, settings.header_timeout_seconds, settings.body_timeout_seconds
    )


def _options(settings: ApiSettings) -> dict[str, Any]:
    return {
        "http": protocol_with(_http_limits(settings)),
        "host": settings.host,
        "port": settings.port,
        "log_config": logging_config(settings.access_log),
        "access_log": False,  # ours carries the request id and operation name
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
        "server_header": False,
        "timeout_graceful_shutdown": 10,
        "timeout_keep_alive": 5,  # an idle connection closes 5 s after its last response
    }


def make_server(settings: ApiSettings) -> uvicorn.Server:
    """A uvicorn server for one process, not started (`await server.serve()`)."""
    return uvicorn.Server(uvicorn.Config(create_app(settings), **_options(settings)))


async def _opened_once(store_url: str) -> None:
    """Open the store and close it again before the server starts: StoreUnavailable here is
    one line, where the server's start failing on it printed four tracebacks (and the line
    saying the API was up)."""
    async with open_store(store_url):
        pass


def run_serve(
    *,
    store_url: str | None = None,
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
    echo: Any = print,
) -> None:
    """Serve until interrupted. Raises ConfigError for bad settings, PortInUseError for a
    taken port and StoreUnavailable for a store that cannot be opened, before binding
    anything."""
    settings = load_settings(store_url=store_url, host=host, port=port, workers=workers)
    check_port_free(
        settings.host,
        settings.port,
        "--port (or $CREDGRAPH_PORT)",
        f"credgraph serve --port {settings.port + 1}",
    )
    store_url = settings.store_url or default_store_url()
    asyncio.run(_opened_once(store_url))
    url = f"http://{settings.host}:{settings.port}/graphql"
    echo(f"credgraph API on {url} (store {shown_url(store_url)})")
    if settings.workers == 1:
        server = make_server(settings)
        tune_for_serving()
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C once it stopped
            server.run()
        return
    if settings.persisted_queries:
        load_allow_list(settings.persisted_queries)  # fail here, not in every worker
    # The workers get the protocol class by name (uvicorn pickles it to them); it reads its
    # limits from the environment, which _options checks here first.
    options = {**_options(settings), "http": LimitedHttpProtocol}
    os.environ.update(settings.to_env())
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run(
            "credgraph.api.app:create_app_from_env",
            factory=True,
            workers=settings.workers,
            **options,
        )
