"""`credgraph crawl`: progress per source while it runs, a summary table after."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from credgraph.config.sources import Config, CrawlerSettings
from credgraph.errors import StoreError
from credgraph.ingest import crawl_sources
from credgraph.ingest.report import RunTally
from credgraph.model.crawl import CrawlRun, Source
from credgraph.schedule.backoff import HISTORY
from credgraph.schedule.lease import keep_renewed, lease_name, new_holder
from credgraph.schedule.orphans import abort_leftover_runs
from credgraph.store import GraphStore, open_store

LEASE_TTL_SECONDS = 60.0  # the scheduler's default; renewed every third of it


async def run_crawl(
    config: Config, source_ids: tuple[str, ...], store_url: str, console: Console
) -> list[CrawlRun]:
    sources = [config.source(i) for i in source_ids] if source_ids else list(config.sources)
    if not sources:
        console.print(f"{config.path} lists no sources; nothing to crawl.")
        return []
    columns = (
        SpinnerColumn(),
        TextColumn("[bold]{task.fields[source]}"),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bars:
        tasks = {s.id: bars.add_task("starting", total=None, source=s.id) for s in sources}

        def progress(url: str, tally: RunTally) -> None:
            bars.update(
                tasks[tally.source_id],
                description=f"{tally.fetched} fetched, {tally.not_modified} not modified, "
                f"{tally.created} created, {tally.updated} updated, {tally.errors} errors",
            )

        async with open_store(store_url) as store:
            runs = await crawl_leased(store, sources, config.crawler, console, progress=progress)
        for run in runs:
            bars.update(tasks[run.source_id], description=f"{run.status.value.lower()}")
    console.print(summary_table(runs))
    for run in runs:
        for sample in run.error_samples[:5]:
            console.print(
                f"  [yellow]{run.source_id}[/]: {sample.url}: {sample.reason}", highlight=False
            )
        if len(run.error_samples) > 5:
            console.print(f"  ... {run.errors - 5} more errors for {run.source_id}")
    return runs


async def crawl_leased(
    store: GraphStore,
    sources: list[Source],
    settings: CrawlerSettings,
    console: Console,
    *,
    progress: Callable[[str, RunTally], None] | None = None,
) -> list[CrawlRun]:
    """Crawl the sources whose lease this process gets (a running scheduler, or another
    `credgraph crawl`, holds the others: they are skipped and named, never crawled twice).
    Under the lease, runs an earlier process left RUNNING are first recorded ABORTED, as the
    scheduler does: a one-shot crawl that lost its store at the end leaves one."""
    holder = new_holder()
    leased: list[Source] = []
    for source in sources:
        if await store.acquire_lease(lease_name(source.id), holder, LEASE_TTL_SECONDS):
            leased.append(source)
        else:
            console.print(
                f"[yellow]{escape(source.id)}[/]: another process is crawling it "
                "(it holds the source's lease); skipped",
                highlight=False,
            )

    def lost(reason: str) -> None:
        console.print(f"[yellow]warning:[/] {escape(reason)}", highlight=False)

    try:
        async with contextlib.AsyncExitStack() as renewals:
            for source in leased:
                await renewals.enter_async_context(
                    keep_renewed(store, lease_name(source.id), holder, LEASE_TTL_SECONDS, lost)
                )
            for source in leased:
                await _abort_leftovers(store, source, console)
            return await crawl_sources(leased, store, settings, progress=progress)
    finally:
        for source in leased:
            with contextlib.suppress(StoreError):  # it expires by itself after one TTL
                await store.release_lease(lease_name(source.id), holder)


async def _abort_leftovers(store: GraphStore, source: Source, console: Console) -> None:
    runs = await store.crawl_runs(source.id, HISTORY)
    for run in await abort_leftover_runs(store, source, runs):
        console.print(
            f"[yellow]{escape(source.id)}[/]: run {escape(run.id)}, left RUNNING by "
            "an earlier process, recorded ABORTED",
            highlight=False,
        )


def summary_table(runs: list[CrawlRun]) -> Table:
    table = Table(title="Crawl summary")
    for name in (
        "source",
        "status",
        "fetched",
        "not modified",
        "created",
        "updated",
        "unchanged",
        "robots skipped",
        "errors",
        "seconds",
    ):
        table.add_column(name, justify="left" if name in ("source", "status") else "right")
    for run in runs:
        seconds = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
        table.add_row(
            run.source_id,
            run.status.value,
            str(run.fetched),
            str(run.not_modified),
            str(run.created),
            str(run.updated),
            str(run.unchanged),
            str(run.skipped_by_robots),
            str(run.errors),
            f"{seconds:.1f}",
        )
    return table
