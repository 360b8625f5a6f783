"""The body of a source's scheduled job: lease, due check, crawl, record, next time.

fired by APScheduler (max one instance per source in this process)
  -> final records a broken store kept us from writing earlier, written now
  -> lease "source:<id>" acquired (or taken over from a process of this host that ended),
     or skip (another process crawls it)
  -> history read: skip if not due (a replica just crawled it, or it is backing off)
  -> runs left RUNNING by a dead process recorded as ABORTED (we hold the lease: nobody
     else is running them)
  -> SourceRun.run(), lease renewed meanwhile
  -> metrics, a log line, the next run time pushed past any backoff
  -> lease released
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from credgraph.errors import StoreError
from credgraph.ingest.runs import source_run
from credgraph.model.crawl import CrawlRun, Source
from credgraph.model.lease import Lease
from credgraph.model.values import CrawlStatus
from credgraph.schedule.backoff import HISTORY, Backoff, due_at
from credgraph.schedule.lease import claim_lease, keep_renewed, lease_name
from credgraph.schedule.logs import LOG, log_event
from credgraph.schedule.orphans import abort_leftover_runs
from credgraph.schedule.state import SchedulerState
from credgraph.schedule.triggers import period_of

JOB_PREFIX = "source:"


def job_id(source_id: str) -> str:
    return JOB_PREFIX + source_id


class SourceRunner:
    def __init__(self, state: SchedulerState) -> None:
        self.state = state

    async def run_source(self, source_id: str) -> None:
        """The scheduled job of one source (APScheduler calls it with the source id)."""
        st = self.state
        task = asyncio.current_task()
        assert task is not None
        # Registered for the whole job, lease release included: shutdown waits for these
        # tasks, and APScheduler cancels whatever is still going when it shuts down.
        st.tasks.add(task)
        try:
            await self._run_source(source_id)
        except asyncio.CancelledError:
            if not st.stopping:
                raise
            # Cancelled by the shutdown at the end of the stop grace: the run is recorded
            # ABORTED and the shutdown logs it. Raised on, APScheduler logged each such run as a
            # job that failed, with a traceback, on the way to a clean exit.
            task.uncancel()
        finally:
            st.tasks.discard(task)

    async def _run_source(self, source_id: str) -> None:
        st = self.state
        source = st.source(source_id)
        if source is None or st.stopping:
            return
        name = lease_name(source_id)
        try:
            await self.record_unrecorded()
            claim = await claim_lease(st.store, name, st.holder, st.options.lease_ttl)
            if not claim.ours:
                self._retry_when_lease_expires(source_id, claim.held_by)
                return
        except StoreError as exc:
            self._skip(source_id, "store_unavailable", error=str(exc))
            return
        if claim.taken_from is not None:
            log_event(
                LOG, logging.WARNING, "lease taken over", source=source_id,
                holder=claim.taken_from.holder, reason="its process has ended",
            )  # fmt: skip
        try:
            await self._run_leased(source)
        except StoreError as exc:  # reading history or marking orphans failed
            self._skip(source_id, "store_unavailable", error=str(exc))
        finally:
            try:
                await st.store.release_lease(name, st.holder)
            except StoreError as exc:  # it expires by itself after one TTL
                log_event(LOG, logging.WARNING, "lease release failed", lease=name, error=str(exc))

    async def _run_leased(self, source: Source) -> None:
        st = self.state
        runs = await st.store.crawl_runs(source.id, HISTORY)
        now = datetime.now(UTC)
        due, backoff = due_at(source, runs, st.options.backoff)
        self._show_backoff(source, backoff)
        if due is not None and now < due - st.options.slack(period_of(source, now)):
            self._skip(source.id, "not_due", due=due.isoformat(), backoff=backoff is not None)
            self._push_next(source, due)
            return
        await self._abort_orphans(source, runs, now)
        run = await self._crawl(source)
        await self._settle(run)
        due, backoff = due_at(source, [run, *runs], st.options.backoff)
        self._show_backoff(source, backoff)
        if backoff is not None:
            log_event(
                LOG, logging.WARNING, "source backing off", source=source.id,
                failures=backoff.failures, until=backoff.until.isoformat(), reason=backoff.reason,
            )  # fmt: skip
        if due is not None:
            self._push_next(source, due)

    async def _crawl(self, source: Source) -> CrawlRun:
        st = self.state
        settings = st.config.crawler
        async with st.fetchers.use(settings) as fetcher:
            crawl = source_run(source, st.store, fetcher, settings, parsers=st.parsers)
            st.crawls[source.id] = crawl
            st.metrics.in_progress.inc()
            log_event(LOG, logging.INFO, "run started", source=source.id, run=crawl.tally.run_id)
            try:
                ttl = st.options.lease_ttl
                async with keep_renewed(st.store, lease_name(source.id), st.holder, ttl,
                                        crawl.request_stop):  # fmt: skip
                    return await crawl.run()
            except asyncio.CancelledError:  # stop grace ran out; the run recorded ABORTED
                self._observe(crawl.tally.record(CrawlStatus.ABORTED))
                raise
            finally:
                st.metrics.in_progress.dec()
                st.crawls.pop(source.id, None)

    async def _settle(self, run: CrawlRun) -> None:
        """Count and log the run; make sure a FAILED or ABORTED record reached the store."""
        self._observe(run)
        if run.status in (CrawlStatus.FAILED, CrawlStatus.ABORTED):
            # These end through paths that swallow a store failure (the store may be why the
            # run failed): write the final record again, or keep it for a later attempt.
            self.state.unrecorded[run.id] = run
            await self.record_unrecorded()

    async def record_unrecorded(self) -> None:
        """Write final run records an earlier store failure kept out; stop at the first error
        (the store is still away) and keep the rest for next time."""
        pending = self.state.unrecorded
        for run_id, run in list(pending.items()):
            try:
                await self.state.store.record_crawl_run(run)
            except StoreError:
                return
            pending.pop(run_id, None)

    async def _abort_orphans(self, source: Source, runs: list[CrawlRun], now: datetime) -> None:
        for run in await abort_leftover_runs(self.state.store, source, runs, now):
            log_event(LOG, logging.WARNING, "orphaned run aborted", source=source.id, run=run.id)

    def _observe(self, run: CrawlRun) -> None:
        self.state.metrics.observe_run(run)
        seconds = (run.finished_at - run.started_at).total_seconds() if run.finished_at else None
        fields: dict[str, Any] = {
            "source": run.source_id, "run": run.id, "status": run.status.value,
            "fetched": run.fetched, "not_modified": run.not_modified, "created": run.created,
            "updated": run.updated, "unchanged": run.unchanged, "errors": run.errors,
            "seconds": round(seconds, 3) if seconds is not None else None,
        }  # fmt: skip
        if run.error_samples:
            fields["last_error"] = f"{run.error_samples[-1].url}: {run.error_samples[-1].reason}"
        failed = run.status in (CrawlStatus.FAILED, CrawlStatus.ABORTED)
        log_event(LOG, logging.WARNING if failed else logging.INFO, "run finished", **fields)

    def _skip(self, source_id: str, reason: str, **fields: Any) -> None:
        self.state.metrics.skipped.labels(source_id, reason).inc()
        level = logging.WARNING if reason == "store_unavailable" else logging.INFO
        log_event(LOG, level, "run skipped", source=source_id, reason=reason, **fields)

    def _show_backoff(self, source: Source, backoff: Backoff | None) -> None:
        seconds = backoff.delay.total_seconds() if backoff else 0.0
        self.state.metrics.backoff.labels(source.id).set(seconds)

    def _retry_when_lease_expires(self, source_id: str, lease: Lease | None) -> None:
        """Another live process holds the lease, or one that died where we cannot tell (on
        another host). Look again when the lease would expire unrenewed, rather than a whole
        period later: such a dead holder's source is then picked up within one TTL, a live
        holder's run is found finished (and the source not due) at the first look after it
        ends. (A dead holder on this host was taken over already, by claim_lease.)"""
        self._skip(source_id, "lease_held", holder=lease.holder if lease else None)
        job = self._job(source_id)
        if lease is None or job is None or job.next_run_time is None:
            return
        retry = lease.expires_at + timedelta(seconds=0.5)
        if retry < job.next_run_time:
            with contextlib.suppress(LookupError):
                job.modify(next_run_time=retry)

    def _job(self, source_id: str) -> Any:
        scheduler = self.state.scheduler
        if scheduler is None or self.state.stopping:
            return None
        return scheduler.get_job(job_id(source_id))

    def _push_next(self, source: Source, due: datetime) -> None:
        """Move the job's next firing to `due` when the trigger would fire earlier."""
        job = self._job(source.id)
        if job is None or job.next_run_time is None:
            return
        if job.next_run_time < due - self.state.options.slack(period_of(source, due)):
            with contextlib.suppress(LookupError):  # removed by a reload meanwhile
                job.modify(next_run_time=due)
