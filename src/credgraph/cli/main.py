"""`credgraph` commands. Each command parses options, opens what it needs, and delegates."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from credgraph import __version__
from credgraph.cli.export import export_command
from credgraph.cli.match import match_command
from credgraph.cli.options import DEMO_STORE, config_option, existing_store, store_option
from credgraph.cli.resolve import resolve_command
from credgraph.cli.scheduler import scheduler_command
from credgraph.cli.sources import sources_command
from credgraph.cli.store_check import store_group
from credgraph.cli.verify import verify_command
from credgraph.errors import CredgraphError
from credgraph.store import GraphStore, default_store_url, open_store

T = TypeVar("T")
console = Console()
err_console = Console(stderr=True)
for _c in (console, err_console):
    if not _c.is_terminal:  # piped or captured: tables wide enough to read without wrapping
        _c.width = max(_c.width, 140)



def run(work: Callable[[], Awaitable[T]]) -> T:
    """Run async work; credgraph's own errors become one line on stderr and exit code 2."""
    try:
        return asyncio.run(work())  # type: ignore[arg-type]
    except CredgraphError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        sys.exit(2)


async def with_store(url: str | None, work: Callable[[GraphStore], Awaitable[T]]) -> T:
    async with open_store(url or default_store_url()) as store:
        return await work(store)


def stats_table(title: str, stats: Any) -> Table:
    table = Table(title=title)
    table.add_column("kind")
    table.add_column("count", justify="right")
    for name in (
        "issuers",
        "credentials",
        "skills",
        "occupations",
        "relationships",
        "stale_credentials",
        "sources",
        "crawl_runs",
    ):
        table.add_row(name.replace("_", " "), f"{getattr(stats, name):,}")
    return table


@click.group()
@click.version_option(__version__, prog_name="credgraph")
def main() -> None:
    """credgraph: crawl credential catalogs into a graph and compare credentials."""


main.add_command(export_command)
main.add_command(scheduler_command)
main.add_command(verify_command)
main.add_command(resolve_command)
main.add_command(match_command)
main.add_command(sources_command)
main.add_command(store_group)


@main.command()
@store_option
def stats(store_url: str | None) -> None:
    """Show how many issuers, credentials, skills and occupations the store holds."""
    async def work() -> Any:
        return await with_store(existing_store(store_url), lambda s: s.stats())

    result = run(work)
    console.print(stats_table(store_url or default_store_url(), result))


@main.command()
def schema() -> None:
    """Print the GraphQL schema (SDL)."""
    from credgraph.api import build_schema

    click.echo(build_schema().as_str())


@main.command()
@click.argument("query")
@click.option("--variables", default=None, metavar="JSON", help="Variables as a JSON object.")
@store_option
def graphql(query: str, variables: str | None, store_url: str | None) -> None:
    """Run a GraphQL QUERY in-process and print the JSON response."""
    from credgraph.api import execute

    try:
        values = json.loads(variables) if variables else None
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint="--variables") from exc
    if values is not None and not isinstance(values, dict):
        raise click.BadParameter("must be a JSON object", param_hint="--variables")
    async def work() -> Any:
        return await with_store(existing_store(store_url), lambda s: execute(s, query, values))

    result = run(work)
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
    click.echo(json.dumps(body, indent=2, ensure_ascii=False))
    if result.errors:
        sys.exit(1)


@main.command()
@store_option
@click.option(
    "--host", default=None, help="Address to bind (default 127.0.0.1, or $CREDGRAPH_HOST)."
)
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default 8000).")
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default 1)."
)
def serve(store_url: str | None, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the GraphQL API over HTTP (/graphql, /healthz, /metrics).

    Limits, CORS, API keys, rate limits and persisted queries are set with CREDGRAPH_*
    variables (see credgraph.api.settings).
    """
    from credgraph.cli.serve import run_serve

    try:
        run_serve(store_url=store_url, host=host, port=port, workers=workers, echo=click.echo)
    except CredgraphError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        sys.exit(2)


@main.command()
@config_option
@click.option(
    "--source",
    "source_ids",
    multiple=True,
    metavar="ID",
    help="Crawl only this source (repeatable).",
)
@store_option
def crawl(config_path: str, source_ids: tuple[str, ...], store_url: str | None) -> None:
    """Crawl the sources in the config file into the store.

    Exits 0 when every run finished (even with document errors), 1 when a run failed as a
    whole, 2 when the configuration is invalid, 3 when a source was skipped because a live
    process (or one on another host) holds its lease: it is named, with when the lease expires.
    A lease left by a process of this host that has ended is taken over at once.
    """
    from credgraph.cli.crawl import run_crawl
    from credgraph.config import load_config
    from credgraph.model.values import CrawlStatus

    async def work() -> list[Any]:
        config = load_config(config_path)
        return await run_crawl(config, source_ids, store_url or default_store_url(), console)

    runs = run(work)
    if any(r.status is CrawlStatus.FAILED for r in runs):
        sys.exit(1)


@main.command()
@click.option(
    "--store", "store_url", default=None, metavar="URL",
    help=f"Where the demo graph goes (default {DEMO_STORE}; other commands read it with "
    "the same --store).",
)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
    help="Port of the API on 127.0.0.1 (checked before anything is crawled).",
)
@click.option("--no-serve", is_flag=True, help="Stop after loading the catalogs.")
def demo(store_url: str | None, port: int, no_serve: bool) -> None:
    """Crawl bundled sample catalogs (every format) and job postings from loopback into a
    local store, show what the graph answers, then serve the API, its pages and a sample job
    board embedding credential and job cards. No network, no setup."""
    import contextlib

    from credgraph.cli.demo import load_demo, serve_api
    from credgraph.cli.ports import PortInUseError, check_port_free
    from credgraph.model.values import CrawlStatus

    url = store_url or DEMO_STORE
    if not no_serve:  # before the crawl, not after it and the URLs it prints
        try:
            check_port_free("127.0.0.1", port, "--port", f"credgraph demo --port {port + 1}")
        except PortInUseError as exc:
            err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
            sys.exit(2)
    runs = run(lambda: load_demo(url, console))
    # The samples must crawl cleanly; a real document may warn (PARTIAL) about what its
    # publisher left out, and the demo shows that rather than failing on it.
    if any(r.status is CrawlStatus.FAILED
           or (r.status is not CrawlStatus.SUCCEEDED and not r.source_id.startswith("real-"))
           for r in runs):
        sys.exit(1)
    if not no_serve:
        with contextlib.suppress(KeyboardInterrupt):
            run(lambda: serve_api(url, port, console))
