"""`credgraph store check`: a read-only consistency check of a store.

Exit status: 0 when consistent, 1 when a problem is found, 2 when the store cannot be read.
"""

from __future__ import annotations

import asyncio
import json
import sys

import click
from rich.console import Console
from rich.table import Table

from credgraph.cli.common import fail, shown
from credgraph.cli.options import store_option
from credgraph.errors import CredgraphError
from credgraph.store import default_store_url, open_store
from credgraph.store.check import CheckReport
from credgraph.store.url import require_existing


async def check_store(url: str) -> CheckReport:
    async with open_store(url) as store:
        return await store.check()


def report_table(report: CheckReport) -> Table:
    table = Table(title=f"store check: {report.store}")
    table.add_column("kind")
    table.add_column("count", justify="right")
    table.add_column("orphans", justify="right")
    for kind, count in report.counts.items():
        table.add_row(kind, f"{count:,}", f"{report.orphans.get(kind, 0):,}")
    return table


@click.group("store")
def store_group() -> None:
    """Look after a store."""


@store_group.command("check")
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def check_command(store_url: str | None, as_json: bool) -> None:
    """Check a store's consistency: dangling references, credentials without their issuer,
    counts read two ways, SQLite's integrity and foreign-key checks; orphans per kind are
    counted for information. Exits 1 when a problem is found."""
    try:
        require_existing(store_url or default_store_url())
        report = asyncio.run(check_store(store_url or default_store_url()))
    except CredgraphError as exc:
        fail(exc)
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2))
    else:
        console = Console()
        console.print(report_table(report))
        for p in report.problems:
            console.print(
                f"[bold red]problem[/] {shown(p.check)}: {shown(p.detail)} ({p.count:,})",
                highlight=False,
            )
        console.print(
            f"{len(report.checks)} checks: "
            + ("[green]consistent[/]" if report.ok else f"[red]{len(report.problems)} problems[/]")
        )
    sys.exit(0 if report.ok else 1)
