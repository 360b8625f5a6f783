"""`credgraph crawl`: the options and exit codes; credgraph.cli.crawl runs the crawls under
their leases (imported when the command runs)."""

from __future__ import annotations

import sys
from typing import Any

import click

from credgraph.cli.common import console, run
from credgraph.cli.options import config_option, store_option
from credgraph.store import default_store_url


@click.command("crawl")
@config_option
@click.option(
    "--source",
    "source_ids",
    multiple=True,
    metavar="ID",
    help="Crawl only this source (repeatable).",
)
@store_option
def crawl_command(config_path: str, source_ids: tuple[str, ...], store_url: str | None) -> None:
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
