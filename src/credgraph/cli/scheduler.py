"""`credgraph scheduler`: crawl every source on its schedule until stopped.

Imports stay light here (click only) so `credgraph --help` does not load APScheduler."""

from __future__ import annotations

import asyncio
import math
import sys
from datetime import timedelta
from typing import Any

import click

from credgraph.cli.options import config_option, store_option
from credgraph.errors import CredgraphError

HOUR, DAY = 3600.0, 86400.0


class Interval(click.ParamType):  # type: ignore[type-arg]
    """An interval such as "90s", "15m", "6h", "1d", as in sources.toml."""

    name = "interval"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> timedelta:
        if isinstance(value, timedelta):
            return value
        from credgraph.config.schedule import interval_seconds

        seconds = interval_seconds(str(value))
        if seconds is None:
            self.fail(
                f'{value!r} is not an interval such as "90s", "15m", "6h", "1d" (a year at most)',
                param,
                ctx,
            )
        return timedelta(seconds=seconds)


class Seconds(click.FloatRange):
    """Seconds from `low` to `high`; "nan" refused (click's range lets it through, and a
    lease that never expires, or a limit that is never reached, followed)."""

    def __init__(self, low: float, high: float) -> None:
        super().__init__(low, high)

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        seconds = float(super().convert(value, param, ctx))
        if math.isnan(seconds):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        return seconds


@click.command("scheduler")
@config_option
@store_option
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    envvar="CREDGRAPH_LOG_FORMAT",
    help="Log lines on stderr as text or JSON.",
)
@click.option(
    "--metrics-port",
    type=click.IntRange(0, 65535),
    default=None,
    envvar="CREDGRAPH_METRICS_PORT",
    help="Serve Prometheus metrics on this port (default: off).",
)
@click.option(
    "--metrics-host",
    default="127.0.0.1",
    show_default=True,
    envvar="CREDGRAPH_METRICS_HOST",
    help="Address the metrics port binds (0.0.0.0 in a container).",
)
@click.option(
    "--stop-grace",
    type=Seconds(0, HOUR),
    default=30.0,
    show_default=True,
    help="Seconds running crawls get to reach a batch boundary on SIGTERM.",
)
@click.option(
    "--lease-ttl",
    type=Seconds(1, DAY),
    default=60.0,
    show_default=True,
    help="Seconds before a dead scheduler's lease on a source expires.",
)
@click.option(
    "--jitter",
    type=Seconds(0, DAY),
    default=10.0,
    show_default=True,
    help="Start each run up to this many seconds late, at random (at most a tenth of the source's period).",
)
@click.option(
    "--misfire-grace",
    type=Seconds(1, DAY),
    default=300.0,
    show_default=True,
    help="Seconds a run that could not start on time may still start.",
)
@click.option(
    "--keep-runs",
    type=Interval(),
    default="90d",
    show_default=True,
    help='Crawl-run history to keep (e.g. "30d"); older runs are deleted hourly, '
    "each source's latest kept.",
)
@click.option("--keep-runs-forever", is_flag=True, help="Never delete crawl runs.")
@click.option(
    "--backoff-max",
    type=Interval(),
    default="6h",
    show_default=True,
    help="Longest wait between runs of a source that keeps failing.",
)
@click.option(
    "--reload-poll",
    type=Seconds(0, HOUR),
    default=5.0,
    show_default=True,
    help="Seconds between checks of the config file for changes (0: SIGHUP only).",
)
@click.option(
    "--holder",
    default=None,
    help="This process's name in leases (default host:pid:machine:start:random; a name given here is never taken over before its lease expires). Give each replica its own: two under one name crawl one source at once.",
)
def scheduler_command(
    config_path: str, store_url: str | None, log_format: str, metrics_port: int | None,
    metrics_host: str, stop_grace: float, lease_ttl: float, jitter: float, misfire_grace: float,
    keep_runs: timedelta, keep_runs_forever: bool, backoff_max: timedelta, reload_poll: float,
    holder: str | None,
) -> None:  # fmt: skip
    """Crawl each source on its schedule (cron, UTC, or `every`) until stopped.

    One process per deployment is enough, and more are safe: a lease in the store keeps two
    schedulers from crawling one source at once. SIGHUP (or a change to the file) reloads the
    config; SIGTERM or Ctrl-C lets running crawls finish their current batch (up to
    --stop-grace seconds), records them ABORTED, and exits 0. Exits 2 when the config or the
    store URL is invalid.
    """
    from credgraph.schedule import (
        BackoffPolicy,
        CrawlMetrics,
        SchedulerOptions,
        SchedulerService,
        setup_logging,
    )
    from credgraph.store import default_store_url

    setup_logging("json" if log_format == "json" else "text")
    options = SchedulerOptions(
        stop_grace=stop_grace,
        lease_ttl=lease_ttl,
        jitter=jitter,
        misfire_grace=misfire_grace,
        keep_runs=None if keep_runs_forever else keep_runs,
        backoff=BackoffPolicy(max_delay=backoff_max),
        reload_poll=reload_poll,
        holder=holder,
    )
    metrics = CrawlMetrics()
    stop_metrics = None
    try:
        if metrics_port is not None:
            stop_metrics = metrics.serve(metrics_port, metrics_host)
        service = SchedulerService(config_path, store_url or default_store_url(), options,
                                   metrics=metrics)  # fmt: skip
        asyncio.run(service.run())
    except CredgraphError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:  # the metrics port is taken
        click.echo(f"error: metrics on {metrics_host}:{metrics_port}: {exc}", err=True)
        sys.exit(2)
    finally:
        if stop_metrics is not None:
            stop_metrics()
