"""How the scheduler runs: every knob of `credgraph scheduler` in one value."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from credgraph.schedule.backoff import BackoffPolicy


@dataclass(frozen=True, slots=True)
class SchedulerOptions:
    stop_grace: float = 30.0  # seconds a run gets to reach its next batch boundary on stop
    lease_ttl: float = 60.0  # a dead process's lease frees this long after its last renewal
    jitter: float = 10.0  # each run starts up to this many seconds late, at random
    misfire_grace: float = 300.0  # a run that could not start on time may still start this late
    keep_runs: timedelta | None = timedelta(days=90)  # crawl-run history kept; None: forever
    retention_every: timedelta = timedelta(hours=1)
    backoff: BackoffPolicy = field(default_factory=BackoffPolicy)
    reload_poll: float = 5.0  # seconds between checks of the config file; 0: SIGHUP only
    holder: str | None = None  # this process's name in leases (default: see holder.py)

    def slack(self, period: timedelta) -> timedelta:
        """How early a firing may come and still count as on time: jitter moves runs by up to
        `jitter` either way between two runs, plus a second for clocks and delays, but
        never half a period (a replica must not run a source its peer has just crawled)."""
        return min(timedelta(seconds=self.jitter + 1.0), period / 2)
