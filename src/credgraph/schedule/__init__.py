"""`credgraph scheduler`: sources crawled on their schedules by a long-running process.

The only package that imports APScheduler. Parts, one job each:

    service.py   the process: start, reload, stop (SchedulerService)
    jobs.py      one APScheduler job per configured source; reloads diffed into job changes
    runner.py    what a job does: lease, due check, crawl, record, next time
    lease.py     holding a source's lease in the store while its run goes on
    orphans.py   runs a dead process left RUNNING, recorded ABORTED under the lease
    backoff.py   when a source is due, and how long a failing one waits (from history only)
    triggers.py  cron / interval schedules as triggers, and the times they give
    reload.py    reading the config again; watching the file
    signals.py   SIGHUP, SIGTERM, SIGINT
    metrics.py   Prometheus metrics on --metrics-port
    logs.py      JSON or text log lines
    status.py    what `credgraph sources` shows
"""

from credgraph.schedule.backoff import Backoff, BackoffPolicy
from credgraph.schedule.logs import setup_logging
from credgraph.schedule.metrics import CrawlMetrics
from credgraph.schedule.options import SchedulerOptions
from credgraph.schedule.service import SchedulerService
from credgraph.schedule.status import SourceStatus, source_statuses

__all__ = [
    "Backoff",
    "BackoffPolicy",
    "CrawlMetrics",
    "SchedulerOptions",
    "SchedulerService",
    "SourceStatus",
    "setup_logging",
    "source_statuses",
]
