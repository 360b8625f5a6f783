"""`credgraph resolve NAME...`: the credentials names as written on a resume stand for, as a
table (or JSON), the same answer `resolveCredentials` gives."""

from __future__ import annotations

import asyncio
import json

import click
from rich.console import Console
from rich.table import Table

from credgraph.cli.common import fail, shown
from credgraph.cli.options import existing_store, store_option
from credgraph.errors import CredgraphError
from credgraph.resolving import NameMatch
from credgraph.resolving.service import MAX_MATCHES, resolve_names
from credgraph.store import open_store


@click.command("resolve")
@click.argument("names", nargs=-1, required=True)
@click.option(
    "--first",
    default=3,
    show_default=True,
    type=click.IntRange(0, MAX_MATCHES),
    help="Matches per name at most.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON.")
@store_option
def resolve_command(
    names: tuple[str, ...], first: int, as_json: bool, store_url: str | None
) -> None:
    """Resolve each NAME ("AWS SAA", "PMP", "Google Data Analytics cert, Coursera") to the
    graph's credentials, with a confidence (a name the graph does not hold stays at 0.5 or
    under) and how each was found. Exit 2 on bad input."""
    try:
        found = asyncio.run(_resolve(list(names), first, store_url))
    except CredgraphError as exc:
        fail(exc)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "input": name,
                        "matches": [
                            {
                                "credential": {"id": cid, "name": label},
                                "confidence": m.confidence,
                                "method": m.method,
                            }
                            for m, cid, label in rows
                        ],
                    }
                    for name, rows in found
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    table = Table()
    for column, justify in (
        ("name as written", "left"),
        ("credential", "left"),
        ("confidence", "right"),
        ("method", "left"),
        ("id", "left"),
    ):
        table.add_column(column, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for name, rows in found:
        if not rows:
            table.add_row(shown(name), "[dim]no match[/]", "", "", "")
        for n, (match, cid, label) in enumerate(rows):
            table.add_row(
                shown(name) if n == 0 else "",
                shown(label),
                f"{match.confidence:.2f}",
                match.method,
                shown(cid),
            )
    console = Console(emoji=False)
    if not console.is_terminal:  # piped or captured: wide enough to read without wrapping
        console.width = max(console.width, 160)
    console.print(table)


async def _resolve(
    names: list[str], first: int, store_url: str | None
) -> list[tuple[str, list[tuple[NameMatch, str, str]]]]:
    async with open_store(existing_store(store_url)) as store:
        matched = await resolve_names(store, names, first, fresh=True)
        ids = list(dict.fromkeys(m.credential_id for ms in matched for m in ms))
        labels = {v.id: v.credential.name for v in await store.get_credentials(ids)}
    return [
        (
            name,
            [
                (m, m.credential_id, labels[m.credential_id])
                for m in ms
                if m.credential_id in labels
            ],
        )
        for name, ms in zip(names, matched, strict=True)
    ]
