"""The scheduler process: APScheduler on the event loop, one job per source, until stopped.

start:   config read (invalid: ConfigError, nothing starts) -> store opened (retried
         while unreachable) -> jobs from the config and the crawl history -> retention
         job -> signals and the config-file watch
SIGHUP:  config read again; a valid one replaces jobs that changed, an invalid one is
         logged and ignored
SIGTERM: no new runs; running ones stop at their next batch boundary, or are cancelled
         after `stop_grace` seconds (either way recorded ABORTED); leases released;
         returns (exit 0)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from credgraph.config import load_config
from credgraph.errors import StoreError, StoreUnavailable, shown_url
from credgraph.schedule import jobs, signals
from credgraph.schedule.fetchers import FetcherPool
from credgraph.schedule.lease import new_holder
from credgraph.schedule.logs import LOG, log_event
from credgraph.schedule.metrics import CrawlMetrics
from credgraph.schedule.options import SchedulerOptions
from credgraph.schedule.reload import read_new_config, watch
from credgraph.schedule.runner import JOB_PREFIX, SourceRunner
from credgraph.schedule.state import SchedulerState
from credgraph.store import open_store
from credgraph.store.base import GraphStore

STORE_RETRY_MAX_S = 30.0
_EVENT_REASONS = {EVENT_JOB_MISSED: "missed", EVENT_JOB_MAX_INSTANCES: "still_running"}


class SchedulerService:
    def __init__(
        self,
        config_path: str | Path,
        store_url: str,
        options: SchedulerOptions | None = None,
        *,
        metrics: CrawlMetrics | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.config_path = Path(config_path)
        self.store_url = store_url
        self.options = options or SchedulerOptions()
        self.metrics = metrics or CrawlMetrics()
        self.transport = transport
        self._stop = asyncio.Event()
        self._force = asyncio.Event()
        self._reloading = asyncio.Lock()
        self.state: SchedulerState | None = None
        self.runner: SourceRunner | None = None

    # -- control (signal handlers call these) ----------------------------------------------
    def request_stop(self) -> None:
        if self._stop.is_set():  # a second signal: do not wait for batch boundaries
            self._force.set()
        self._stop.set()

    def request_reload(self) -> None:
        asyncio.get_running_loop().create_task(self.reload())

    # -- lifecycle ---------------------------------------------------------------------------
    async def run(self) -> None:
        """Run until stopped. ConfigError or a bad store URL raise before anything starts."""
        config = load_config(self.config_path)
        loop = asyncio.get_running_loop()
        restore = signals.install(loop, reload=self.request_reload, stop=self.request_stop)
        try:
            store = await self._open_store()
            if store is None:  # stopped while waiting for the store
                return
            try:
                await self._serve(config, store)
            finally:
                await store.close()
        finally:
            restore()

    async def _open_store(self) -> GraphStore | None:
        delay = 1.0
        while not self._stop.is_set():
            store = open_store(self.store_url)
            try:
                await store.open()
                return store
            except StoreUnavailable as exc:  # not up yet (say, a database container starting)
                log_event(
                    LOG, logging.WARNING, "store unavailable; retrying",
                    store=shown_url(self.store_url), error=str(exc), retry_in=delay,
                )  # fmt: skip
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), delay)
            delay = min(delay * 2, STORE_RETRY_MAX_S)
        return None

    async def _serve(self, config: Any, store: GraphStore) -> None:
        opts = self.options
        st = self.state = SchedulerState(
            config, store, opts, opts.holder or new_holder(), self.metrics,
            FetcherPool(self.transport),
        )  # fmt: skip
        self.runner = SourceRunner(st)
        scheduler = st.scheduler = AsyncIOScheduler(
            event_loop=asyncio.get_running_loop(), timezone=UTC
        )
        scheduler.add_listener(
            self._on_job_event, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_ERROR
        )
        scheduler.start()
        watcher: asyncio.Task[None] | None = None
        try:
            changes = await jobs.apply(scheduler, self.runner, None, config, opts)
            self.metrics.sources.set(len(config.sources))
            self._schedule_retention(scheduler)
            if opts.reload_poll > 0:
                watcher = asyncio.create_task(
                    watch(self.config_path, opts.reload_poll, self.reload)
                )
            log_event(
                LOG, logging.INFO, "scheduler started", holder=st.holder, store=store.url,
                config=str(self.config_path), sources=changes.added,
            )  # fmt: skip
            await self._stop.wait()
        finally:
            if watcher is not None:
                watcher.cancel()
            await self._shutdown(scheduler, st)

    async def _shutdown(self, scheduler: Any, st: SchedulerState) -> None:
        st.stopping = True
        scheduler.pause()  # no new firings; runs already going continue below
        running = sorted(st.crawls)
        log_event(LOG, logging.INFO, "scheduler stopping", running=running)
        for crawl in st.crawls.values():
            crawl.request_stop("the scheduler is shutting down")
        tasks = set(st.tasks)
        if tasks and not self._force.is_set():
            # Until every run is done, a second signal arrives, or the grace time is up.
            # Cancelling the waiters below leaves the runs themselves alone.
            finished = asyncio.ensure_future(asyncio.wait(tasks))
            forced = asyncio.ensure_future(self._force.wait())
            await asyncio.wait(
                {finished, forced}, timeout=self.options.stop_grace,
                return_when=asyncio.FIRST_COMPLETED,
            )  # fmt: skip
            finished.cancel()
            forced.cancel()
        late = [t for t in tasks if not t.done()]
        for task in late:  # a run records ABORTED on cancellation
            task.cancel()
        if late:
            log_event(LOG, logging.WARNING, "runs cancelled after the stop grace", count=len(late))
        await asyncio.gather(*late, return_exceptions=True)
        scheduler.shutdown(wait=False)
        assert self.runner is not None
        await self.runner.record_unrecorded()
        await st.fetchers.close()
        await st.parsers.aclose()
        log_event(LOG, logging.INFO, "scheduler stopped", unrecorded=len(st.unrecorded))

    # -- reload ------------------------------------------------------------------------------
    async def reload(self) -> None:
        st, runner = self.state, self.runner
        if st is None or runner is None or st.stopping:
            return
        async with self._reloading:
            # in a thread: a cron that never fires takes a fifth of a second to be told apart
            new = await asyncio.to_thread(read_new_config, self.config_path)
            if new is None:
                self.metrics.reloads.labels("invalid").inc()
                return
            old = st.config
            try:
                changes = await jobs.apply(st.scheduler, runner, old, new, self.options)
            except Exception as exc:  # a reload never stops the scheduler
                self.metrics.reloads.labels("invalid").inc()
                log_event(
                    LOG, logging.ERROR, "config could not be applied; the previous one stays "
                    "in force", path=str(self.config_path), error=f"{type(exc).__name__}: {exc}",
                )  # fmt: skip
                return
            st.config = new  # only once applied: the next reload is diffed against what runs
            self.metrics.sources.set(len(new.sources))
            self.metrics.reloads.labels("applied").inc()
            log_event(
                LOG, logging.INFO, "config reloaded", added=changes.added,
                removed=changes.removed, rescheduled=changes.rescheduled,
                updated=changes.updated, crawler_changed=old.crawler != new.crawler,
            )  # fmt: skip

    # -- retention ---------------------------------------------------------------------------
    def _schedule_retention(self, scheduler: Any) -> None:
        if self.options.keep_runs is None:
            return
        scheduler.add_job(
            self._retention,
            IntervalTrigger(seconds=int(self.options.retention_every.total_seconds()), timezone=UTC),
            id="retention", name="crawl-run retention", max_instances=1, coalesce=True,
            next_run_time=datetime.now(UTC) + timedelta(seconds=5),
        )  # fmt: skip

    async def _retention(self) -> None:
        st, keep = self.state, self.options.keep_runs
        if st is None or keep is None or st.stopping:
            return
        cutoff = datetime.now(UTC) - keep
        try:
            deleted = await st.store.delete_crawl_runs(cutoff)
        except StoreError as exc:
            log_event(LOG, logging.WARNING, "retention failed", error=str(exc))
            return
        except asyncio.CancelledError:
            # The scheduler stopping cancels a deletion in flight: its transaction is rolled
            # back and the next start deletes the same runs. That is a stop, not a failure.
            if st.stopping:
                log_event(LOG, logging.INFO, "retention stopped: the scheduler is shutting down")
                return
            raise
        if deleted:
            log_event(LOG, logging.INFO, "old crawl runs deleted", count=deleted,
                      before=cutoff.isoformat())  # fmt: skip

    # -- APScheduler events ------------------------------------------------------------------
    def _on_job_event(self, event: Any) -> None:
        source = str(event.job_id).removeprefix(JOB_PREFIX)
        if event.code == EVENT_JOB_ERROR:
            log_event(LOG, logging.ERROR, "job failed", job=event.job_id,
                      error=f"{type(event.exception).__name__}: {event.exception}")  # fmt: skip
            return
        reason = _EVENT_REASONS.get(event.code, "other")
        if str(event.job_id).startswith(JOB_PREFIX):
            self.metrics.skipped.labels(source, reason).inc()
        log_event(LOG, logging.INFO, "run skipped", source=source, reason=reason)
