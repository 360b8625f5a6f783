"""`credgraph stats`: how much the store holds."""

from __future__ import annotations

from typing import Any

import click

from credgraph.cli.common import console, run, with_store
from credgraph.cli.options import existing_store, store_option
from credgraph.cli.tables import stats_table
from credgraph.errors import shown_url
from credgraph.store import default_store_url


@click.command("stats")
@store_option
def stats_command(store_url: str | None) -> None:
    """Show how many issuers, credentials, skills and occupations the store holds."""

    async def work() -> Any:
        return await with_store(existing_store(store_url), lambda s: s.stats())

    result = run(work)
    console.print(stats_table(shown_url(store_url or default_store_url()), result))
