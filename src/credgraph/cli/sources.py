"""`credgraph sources`: each source's last run, next run and backoff, from the store."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from credgraph.cli.common import fail
from credgraph.cli.options import config_option, existing_store, store_option
from credgraph.cli.scheduler import Interval
from credgraph.cli.tables import Fitted, id_column
from credgraph.errors import CredgraphError


def _when(at: datetime | None, now: datetime) -> str:
    if at is None:
        return "-"
    if at <= now:
        return "due now"
    return at.strftime("%Y-%m-%d %H:%M:%S UTC")


def _counts(run: Any) -> str:
    return (
        f"{run.fetched} fetched, {run.not_modified} not modified, {run.created} created, "
        f"{run.updated} updated, {run.errors} errors"
    )


def as_json(statuses: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for s in statuses:
        run, backoff = s.last_run, s.backoff
        rows.append({
            "source": s.source.id,
            "format": s.source.format,
            "schedule": s.source.schedule or f"every {s.source.every or '1d'}",
            "configured": s.configured,
            "lastRun": None if run is None else {
                "id": run.id, "status": run.status.value, "startedAt": run.started_at.isoformat(),
                "finishedAt": run.finished_at.isoformat() if run.finished_at else None,
                "fetched": run.fetched, "notModified": run.not_modified, "created": run.created,
                "updated": run.updated, "unchanged": run.unchanged, "errors": run.errors,
            },
            "nextRun": s.next_run.isoformat() if s.next_run else None,
            "backoff": None if backoff is None else {
                "failures": backoff.failures, "delaySeconds": backoff.delay.total_seconds(),
                "until": backoff.until.isoformat(), "reason": backoff.reason,
            },
            "crawling": s.crawling,
        })  # fmt: skip
    return rows


def table(statuses: list[Any], now: datetime) -> Fitted:
    """Each source: a column per fact where the terminal is wide enough, else last and next
    run stacked in one cell and the counts wrapped."""
    wide, narrow = Table(title="Sources"), Table(title="Sources")
    id_column(wide, "source")
    id_column(narrow, "source")
    for name in ("schedule", "last run", "counts", "next run", "backoff"):
        wide.add_column(name)
    narrow.add_column("runs")
    narrow.add_column("counts, backoff", ratio=1)
    for s in statuses:
        run, backoff = s.last_run, s.backoff
        last = (
            "never"
            if run is None
            else (f"{run.status.value} {run.started_at.strftime('%Y-%m-%d %H:%M:%S')}")
        )
        if s.crawling:
            last += f" (crawling: {s.crawling})"
        schedule = s.source.schedule or f"every {s.source.every or '1d'}"
        if not s.configured:
            schedule = "not in the config"
        waiting = (
            "-"
            if backoff is None
            else (f"{backoff.failures} failures in a row, waits {backoff.delay}: {backoff.reason}")
        )
        counts = _counts(run) if run else "-"
        wide.add_row(s.source.id, schedule, last, counts, _when(s.next_run, now), waiting)
        runs = f"{schedule}\nlast: {last}\nnext: {_when(s.next_run, now)}"
        narrow.add_row(s.source.id, runs, counts if backoff is None else f"{counts}\n{waiting}")
    return Fitted(wide, narrow)


@click.command("sources")
@config_option
@store_option
@click.option(
    "--backoff-max",
    type=Interval(),
    default="6h",
    show_default=True,
    help="As given to `credgraph scheduler` (backoff shown accordingly).",
)
@click.option("--json", "as_json_flag", is_flag=True, help="Print JSON instead of a table.")
def sources_command(
    config_path: str, store_url: str | None, backoff_max: Any, as_json_flag: bool
) -> None:
    """List each source with its last run (status, time, counts), next run and backoff.

    Sources the store knows from earlier crawls but the config no longer lists are shown as
    not in the config. Without the default sources.toml, only the store's sources are shown.
    """
    import asyncio

    from credgraph.config import load_config
    from credgraph.schedule import BackoffPolicy, source_statuses
    from credgraph.store import open_store

    explicit = click.get_current_context().get_parameter_source("config_path")
    now = datetime.now(UTC)

    async def work() -> list[Any]:
        config = None
        if Path(config_path).exists() or explicit is not click.core.ParameterSource.DEFAULT:
            config = load_config(config_path)
        async with open_store(existing_store(store_url)) as store:
            return await source_statuses(store, config, BackoffPolicy(backoff_max), now)

    try:
        statuses = asyncio.run(work())
    except CredgraphError as exc:
        fail(exc)
    if as_json_flag:
        click.echo(json.dumps(as_json(statuses), indent=2, ensure_ascii=False))
        return
    console = Console()
    if not console.is_terminal:
        console.width = max(console.width, 160)
    console.print(table(statuses, now))
