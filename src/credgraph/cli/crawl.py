"""`credgraph crawl`: progress per source while it runs, a summary table after.

Each source is crawled under its lease, as the scheduler crawls it. A lease whose holder is a
process of this host that has ended (a crawl killed with kill -9) is taken over at once, and
the run it left RUNNING recorded ABORTED. A lease held by a live process, or by a process on
another host (which cannot be checked from here), skips the source, naming the holder and
when the lease expires; the command then exits LEASE_HELD_EXIT (3), unless a run failed (1).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from credgraph.cli.common import shown
from credgraph.cli.tables import Fitted, id_column
from credgraph.config.sources import Config, CrawlerSettings
from credgraph.errors import StoreError
from credgraph.ingest import crawl_sources
from credgraph.ingest.report import RunTally
from credgraph.model.crawl import CrawlRun, Source
from credgraph.model.lease import Lease
from credgraph.model.values import CrawlStatus
from credgraph.schedule.backoff import HISTORY
from credgraph.schedule.holder import describe
from credgraph.schedule.lease import Claim, claim_lease, keep_renewed, lease_name, new_holder
from credgraph.schedule.orphans import abort_leftover_runs
from credgraph.store import GraphStore, open_store

LEASE_TTL_SECONDS = 60.0  # the scheduler's default; renewed every third of it
LEASE_HELD_EXIT = 3  # a source was skipped: a live process (or another host) holds its lease


@dataclass(frozen=True, slots=True)
class OneShotCrawl:
    """The runs of the sources this process leased, and the ids of those it skipped."""

    runs: list[CrawlRun]
    skipped: list[str] = field(default_factory=list)


async def run_crawl(
    config: Config, source_ids: tuple[str, ...], store_url: str, console: Console
) -> list[CrawlRun]:
    """Crawl, show progress and the summary; returns the runs. Raises click's Exit with
    LEASE_HELD_EXIT when a source was skipped for its lease and no run FAILED (a failed
    run's exit code, 1, says more)."""
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
            done = await crawl_under_leases(
                store, sources, config.crawler, console, progress=progress
            )
        for run in done.runs:
            bars.update(tasks[run.source_id], description=f"{run.status.value.lower()}")
        for source_id in done.skipped:
            bars.update(tasks[source_id], description="skipped: its lease is held")
    runs = done.runs
    console.print(summary_table(runs, done.skipped))
    for run in runs:
        for sample in run.error_samples[:5]:
            console.print(
                f"  [yellow]{run.source_id}[/]: {sample.url}: {sample.reason}", highlight=False
            )
        if len(run.error_samples) > 5:
            console.print(f"  ... {run.errors - 5} more errors for {run.source_id}")
    if done.skipped and not any(r.status is CrawlStatus.FAILED for r in runs):
        console.print(
            f"{len(done.skipped)} source(s) not crawled, their lease held elsewhere: "
            f"{shown(', '.join(done.skipped))}; exit code {LEASE_HELD_EXIT}",
            highlight=False,
        )
        raise click.exceptions.Exit(LEASE_HELD_EXIT)
    return runs


async def crawl_leased(
    store: GraphStore,
    sources: list[Source],
    settings: CrawlerSettings,
    console: Console,
    *,
    progress: Callable[[str, RunTally], None] | None = None,
) -> list[CrawlRun]:
    """The runs of `crawl_under_leases` (skipped sources are only named on the console)."""
    done = await crawl_under_leases(store, sources, settings, console, progress=progress)
    return done.runs


async def crawl_under_leases(
    store: GraphStore,
    sources: list[Source],
    settings: CrawlerSettings,
    console: Console,
    *,
    progress: Callable[[str, RunTally], None] | None = None,
) -> OneShotCrawl:
    """Crawl the sources whose lease this process gets (a running scheduler, or another
    `credgraph crawl`, holds the others: they are skipped and named, never crawled twice).
    Under the lease, runs an earlier process left RUNNING are first recorded ABORTED, as the
    scheduler does: a one-shot crawl that was killed, or lost its store at the end, leaves one."""
    holder = new_holder()
    leased: list[Source] = []
    skipped: list[str] = []
    for source in sources:
        claim = await claim_lease(store, lease_name(source.id), holder, LEASE_TTL_SECONDS)
        _say_claim(console, source, claim)
        if claim.ours:
            leased.append(source)
        else:
            skipped.append(source.id)

    def lost(reason: str) -> None:
        console.print(f"[yellow]warning:[/] {shown(reason)}", highlight=False)

    try:
        async with contextlib.AsyncExitStack() as renewals:
            for source in leased:
                await renewals.enter_async_context(
                    keep_renewed(store, lease_name(source.id), holder, LEASE_TTL_SECONDS, lost)
                )
            for source in leased:
                await _abort_leftovers(store, source, console)
            runs = await crawl_sources(leased, store, settings, progress=progress)
            return OneShotCrawl(runs, skipped)
    finally:
        for source in leased:
            with contextlib.suppress(StoreError):  # it expires by itself after one TTL
                await store.release_lease(lease_name(source.id), holder)


def _say_claim(console: Console, source: Source, claim: Claim) -> None:
    if claim.taken_from is not None:
        console.print(
            f"[yellow]{shown(source.id)}[/]: its lease was held by "
            f"{shown(describe(claim.taken_from.holder))}, which has ended; taken over",
            highlight=False,
        )
    elif not claim.ours:
        console.print(
            f"[yellow]{shown(source.id)}[/]: another process is crawling it; skipped. "
            f"{shown(_held(claim.held_by))}",
            highlight=False,
        )


def _held(lease: Lease | None) -> str:
    if lease is None:  # it expired between two reads: the next crawl will get it
        return "Its lease was held, and has just expired."
    left = (lease.expires_at - datetime.now(UTC)).total_seconds()
    return (
        f"Its lease is held by {describe(lease.holder)} until "
        f"{lease.expires_at:%Y-%m-%d %H:%M:%S} UTC (in {max(0, math.ceil(left))} s)."
    )


async def _abort_leftovers(store: GraphStore, source: Source, console: Console) -> None:
    runs = await store.crawl_runs(source.id, HISTORY)
    for run in await abort_leftover_runs(store, source, runs):
        console.print(
            f"[yellow]{shown(source.id)}[/]: run {shown(run.id)}, left RUNNING by "
            "an earlier process, recorded ABORTED",
            highlight=False,
        )


def _counts(run: CrawlRun) -> str:
    parts = [f"{run.fetched} fetched", f"{run.not_modified} not modified",
             f"{run.created} created", f"{run.updated} updated", f"{run.unchanged} unchanged",
             f"{run.skipped_by_robots} robots skipped", f"{run.errors} errors"]  # fmt: skip
    return ", ".join(parts)


def summary_table(runs: list[CrawlRun], skipped: Sequence[str] = ()) -> Fitted:
    """One row per run: a column per count where the terminal is wide enough, else the counts
    as one wrapped cell."""
    wide = Table(title="Crawl summary")
    narrow = Table(title="Crawl summary")
    id_column(wide, "source")
    id_column(narrow, "source")
    for name in ("status", "fetched", "not modified", "created", "updated", "unchanged",
                 "robots skipped", "errors", "seconds"):  # fmt: skip
        wide.add_column(name, justify="left" if name == "status" else "right")
    narrow.add_column("status", overflow="fold")
    narrow.add_column("counts", ratio=1, overflow="fold")
    narrow.add_column("s", justify="right")
    for run in runs:
        seconds = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
        wide.add_row(
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
        narrow.add_row(run.source_id, run.status.value, _counts(run), f"{seconds:.1f}")
    for source_id in skipped:
        wide.add_row(source_id, "SKIPPED (lease held)", *[""] * 8)
        narrow.add_row(source_id, "SKIPPED (lease held)", "", "")
    return Fitted(wide, narrow)
