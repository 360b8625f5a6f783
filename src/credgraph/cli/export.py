"""`credgraph export`: a subgraph (or the whole graph) to a file, with a progress bar."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from credgraph.cli.common import shown
from credgraph.cli.options import existing_store, store_option
from credgraph.errors import CredgraphError
from credgraph.export import FORMATS, Export, Selection, parse_since, parse_types
from credgraph.export.stream import Tally
from credgraph.store import default_store_url, open_store

err_console = Console(stderr=True, soft_wrap=True)


@click.command("export")
@click.option(
    "--format",
    "format_name",
    required=True,
    type=click.Choice(list(FORMATS)),
    help="graphml, csv (a zip of nodes.csv and edges.csv), jsonld, ndjson, nodelink.",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write; a .zip bundles the data with manifest.json (csv: .zip only). "
    "Never the store's own files (refused, exit 2).",
)
@click.option(
    "--seed",
    "seeds",
    multiple=True,
    metavar="ID",
    help="Start from this node (id, CTID, URL, URI or O*NET-SOC code); repeatable. "
    "Without seeds: the whole graph.",
)
@click.option("--depth", default=1, show_default=True, help="Hops from the seeds.")
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Only credentials of this type (BADGE, CERTIFICATE, ...); repeatable.",
)
@click.option(
    "--issuer",
    "issuers",
    multiple=True,
    metavar="ID",
    help="Only credentials this issuer awards (id, CTID, URL or URI, as --seed); repeatable.",
)
@click.option(
    "--skill",
    "skills",
    multiple=True,
    metavar="ID",
    help="Only credentials teaching or assessing this skill (id or URI, as --seed); repeatable.",
)
@click.option(
    "--occupation-prefix",
    default=None,
    metavar="CODE",
    help="Only credentials preparing for occupations whose code starts so (15- ...).",
)
@click.option(
    "--changed-since",
    default=None,
    metavar="DATE",
    help="Only credentials changed since this ISO date or date-time (UTC).",
)
@click.option("--exclude-stale", is_flag=True, help="Leave out credentials gone from catalogs.")
@store_option
def export_command(
    format_name: str,
    out: Path,
    seeds: tuple[str, ...],
    depth: int,
    types: tuple[str, ...],
    issuers: tuple[str, ...],
    skills: tuple[str, ...],
    occupation_prefix: str | None,
    changed_since: str | None,
    exclude_stale: bool,
    store_url: str | None,
) -> None:
    """Export a subgraph with a provenance manifest (counts, sources, sha256 per file)."""
    try:
        selection = Selection(
            seeds=seeds,
            depth=depth,
            types=parse_types(types),
            issuers=issuers,
            skills=skills,
            occupation_prefix=occupation_prefix,
            changed_since=parse_since(changed_since) if changed_since else None,
            exclude_stale=exclude_stale,
        )
        existing_store(store_url)
        written, tally = asyncio.run(_export(store_url, selection, format_name, out))
    except CredgraphError as exc:
        err_console.print(f"[bold red]error:[/] {shown(str(exc))}", highlight=False)
        sys.exit(2)
    except OSError as exc:
        err_console.print(
            f"[bold red]error:[/] writing {shown(str(out))}: {shown(str(exc))}", highlight=False
        )
        sys.exit(1)
    nodes, edges = sum(tally.nodes.values()), sum(tally.edges.values())
    for path in written:
        click.echo(str(path))
    err_console.print(
        f"{nodes:,} nodes and {edges:,} edges"
        + (" (the selection matched nothing)" if tally.empty else "")
    )


async def _export(
    store_url: str | None, selection: Selection, format_name: str, out: Path
) -> tuple[list[Path], Tally]:
    async with open_store(store_url or default_store_url()) as store:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as bar:
            task = bar.add_task("exporting", total=None)
            last = [datetime.now()]

            def progress(tally: Tally) -> None:
                now = datetime.now()
                if (now - last[0]).total_seconds() >= 0.2:
                    last[0] = now
                    bar.update(
                        task,
                        description=(
                            f"exporting {format_name}: {sum(tally.nodes.values()):,} nodes, "
                            f"{sum(tally.edges.values()):,} edges"
                        ),
                    )

            export = Export(store, selection, format_name, progress=progress)
            written = await export.write(out)
        return written, export.tally
