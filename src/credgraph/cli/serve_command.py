"""`credgraph serve`: the options; credgraph.cli.serve builds and runs the server (imported
when the command runs, so other commands do not load uvicorn)."""

from __future__ import annotations

import click

from credgraph.cli.common import fail
from credgraph.cli.options import store_option
from credgraph.errors import CredgraphError, StoreUnavailable


@click.command("serve")
@store_option
@click.option(
    "--host", default=None, help="Address to bind (default 127.0.0.1, or $CREDGRAPH_HOST)."
)
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default 8000).")
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default 1)."
)
def serve_command(
    store_url: str | None, host: str | None, port: int | None, workers: int | None
) -> None:
    """Serve the GraphQL API over HTTP (/graphql, /healthz, /readyz, /metrics).

    Limits, CORS, API keys, rate limits and persisted queries are set with CREDGRAPH_*
    variables (see credgraph.api.settings). Exits 2 on bad settings or a taken port, 3 when
    the store cannot be opened.
    """
    from credgraph.cli.serve import run_serve

    try:
        run_serve(store_url=store_url, host=host, port=port, workers=workers, echo=click.echo)
    except StoreUnavailable as exc:  # not the command's fault: the store may come back
        fail(exc, code=3)
    except CredgraphError as exc:
        fail(exc)
