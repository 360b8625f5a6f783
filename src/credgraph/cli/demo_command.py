"""`credgraph demo`: the options; credgraph.cli.demo loads the bundled catalogs and serves
them (imported when the command runs)."""

from __future__ import annotations

import contextlib
import sys

import click

from credgraph.cli.common import console, fail, run
from credgraph.cli.options import DEMO_STORE


@click.command("demo")
@click.option(
    "--store",
    "store_url",
    default=None,
    metavar="URL",
    help=f"Where the demo graph goes (default {DEMO_STORE}; other commands read it with "
    "the same --store).",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="Port of the API on 127.0.0.1 (checked before anything is crawled).",
)
@click.option("--no-serve", is_flag=True, help="Stop after loading the catalogs.")
def demo_command(store_url: str | None, port: int, no_serve: bool) -> None:
    """Crawl bundled sample catalogs (every format) and job postings from loopback into a
    local store, show what the graph answers, then serve the API, its pages and a sample job
    board embedding credential and job cards. No network, no setup."""
    from credgraph.cli.demo import load_demo, serve_api
    from credgraph.cli.ports import PortInUseError, check_port_free
    from credgraph.model.values import CrawlStatus

    url = store_url or DEMO_STORE
    if not no_serve:  # before the crawl, not after it and the URLs it prints
        try:
            check_port_free("127.0.0.1", port, "--port", f"credgraph demo --port {port + 1}")
        except PortInUseError as exc:
            fail(exc)
    runs = run(lambda: load_demo(url, console))
    # The samples must crawl cleanly; a real document may warn (PARTIAL) about what its
    # publisher left out, and the demo shows that rather than failing on it.
    if any(
        r.status is CrawlStatus.FAILED
        or (r.status is not CrawlStatus.SUCCEEDED and not r.source_id.startswith("real-"))
        for r in runs
    ):
        sys.exit(1)
    if not no_serve:
        with contextlib.suppress(KeyboardInterrupt):
            run(lambda: serve_api(url, port, console))
