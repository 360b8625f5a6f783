"""Tables laid out for the terminal they are printed on: a wide layout when it fits, else a
narrow one, chosen when rich renders (so it follows the console's real width). Ids are never
cut: a source id is what a person copies into the next command."""

from __future__ import annotations

from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table


class Fitted:
    """The wide table if it fits the width it is given without wrapping a cell, else the
    narrow one (which wraps its long cells, never its ids)."""

    def __init__(self, wide: Table, narrow: Table) -> None:
        self.wide = wide
        self.narrow = narrow

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        unbounded = options.update(max_width=100_000)  # a measurement is capped at the width
        needed = Measurement.get(console, unbounded, self.wide).maximum
        yield self.wide if needed <= options.max_width else self.narrow


def id_column(table: Table, name: str) -> None:
    """A column of ids: never wrapped, never shortened with an ellipsis."""
    table.add_column(name, no_wrap=True, overflow="fold")


def stats_table(title: str, stats: Any) -> Table:
    """What a store holds, a row per kind (`credgraph stats`, the demo's summary)."""
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
