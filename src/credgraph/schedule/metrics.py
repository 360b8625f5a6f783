"""Prometheus metrics of the scheduler, in a registry of its own, served on --metrics-port.

credgraph_crawl_runs_total{source,status}                 runs by final status
credgraph_crawl_documents_total{source,outcome}           fetched | not_modified | failed
credgraph_crawl_run_duration_seconds{source}              histogram
credgraph_crawl_runs_in_progress                          gauge
credgraph_scheduler_skipped_runs_total{source,reason}     lease_held | not_due |
                                                          store_unavailable | still_running | missed
credgraph_crawl_source_backoff_seconds{source}            current backoff delay, 0 if none
credgraph_scheduler_sources                               sources scheduled
credgraph_scheduler_config_reloads_total{outcome}         applied | invalid
process_* and python_gc_*                                 from prometheus_client
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    ProcessCollector,
    start_http_server,
)

from credgraph.model.crawl import CrawlRun

_DURATION = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400)


class CrawlMetrics:
    def __init__(self) -> None:
        r = self.registry = CollectorRegistry()
        ProcessCollector(registry=r)
        GCCollector(registry=r)
        self.runs = Counter(
            "credgraph_crawl_runs", "Crawl runs by final status.", ["source", "status"], registry=r
        )
        self.documents = Counter(
            "credgraph_crawl_documents", "Documents of crawl runs by outcome.",
            ["source", "outcome"], registry=r,
        )  # fmt: skip
        self.duration = Histogram(
            "credgraph_crawl_run_duration_seconds", "Time from a run's start to its end.",
            ["source"], buckets=_DURATION, registry=r,
        )  # fmt: skip
        self.in_progress = Gauge(
            "credgraph_crawl_runs_in_progress", "Runs this process is crawling now.", registry=r
        )
        self.skipped = Counter(
            "credgraph_scheduler_skipped_runs", "Scheduled runs that did not crawl, and why.",
            ["source", "reason"], registry=r,
        )  # fmt: skip
        self.backoff = Gauge(
            "credgraph_crawl_source_backoff_seconds",
            "Backoff delay of a repeatedly failing source (0 when it is not backing off).",
            ["source"], registry=r,
        )  # fmt: skip
        self.sources = Gauge("credgraph_scheduler_sources", "Sources scheduled.", registry=r)
        self.reloads = Counter(
            "credgraph_scheduler_config_reloads", "Configuration reloads by outcome.",
            ["outcome"], registry=r,
        )  # fmt: skip

    def observe_run(self, run: CrawlRun) -> None:
        source = run.source_id
        self.runs.labels(source, run.status.value).inc()
        self.documents.labels(source, "fetched").inc(run.fetched)
        self.documents.labels(source, "not_modified").inc(run.not_modified)
        self.documents.labels(source, "failed").inc(run.errors)
        if run.finished_at is not None:
            self.duration.labels(source).observe((run.finished_at - run.started_at).total_seconds())

    def serve(self, port: int, host: str) -> Callable[[], None]:
        """Serve /metrics on host:port in a thread; returns a function that stops it."""
        server, thread = start_http_server(port, addr=host, registry=self.registry)

        def stop() -> None:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

        return stop
