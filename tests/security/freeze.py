"""Does one hostile request freeze a real `credgraph serve`? Send it while another thread asks
`/healthz` every 100 ms and times each answer; read the server's RSS before and after.

    with serving_api(store_url) as served:
        report = probe(served, lambda client: client.post("/verify", json=bomb))
        assert report.answered_within(5) and report.health_worst < 1.0

The health thread starts before the hostile request and stops after it returned, so every
stall of the event loop while the request is in flight shows as a slow health answer (a
health request that times out counts as its timeout).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from tests.faults.served import Served

HEALTH_EVERY_S = 0.1
HEALTH_TIMEOUT_S = 10.0


@dataclass
class FreezeReport:
    seconds: float  # how long the hostile request took to be answered (or to fail)
    response: httpx.Response | None  # None when the client gave up (timeout, reset)
    failure: str | None
    health_latencies: list[float] = field(default_factory=list)
    rss_before_kib: int = 0
    rss_after_kib: int = 0

    @property
    def status(self) -> int | None:
        return self.response.status_code if self.response is not None else None

    @property
    def health_worst(self) -> float:
        return max(self.health_latencies, default=0.0)

    @property
    def rss_growth_mib(self) -> float:
        return (self.rss_after_kib - self.rss_before_kib) / 1024

    def answered_within(self, seconds: float) -> bool:
        return self.response is not None and self.seconds <= seconds

    def describe(self) -> str:
        return (
            f"status {self.status} in {self.seconds:.2f} s ({self.failure or 'answered'}); "
            f"/healthz worst {self.health_worst * 1000:.0f} ms over "
            f"{len(self.health_latencies)} checks; RSS {self.rss_before_kib // 1024} -> "
            f"{self.rss_after_kib // 1024} MiB"
        )


def probe(
    served: Served,
    send: Callable[[httpx.Client], httpx.Response],
    *,
    timeout: float = 30.0,
) -> FreezeReport:
    """Run `send` (given a client on the server's base URL) while timing `/healthz`."""
    stop = threading.Event()
    latencies: list[float] = []

    def watch() -> None:
        with httpx.Client(base_url=served.base, timeout=HEALTH_TIMEOUT_S) as health:
            while not stop.is_set():
                started = time.monotonic()
                # A refused or timed-out check counts as the time it took.
                with contextlib.suppress(httpx.HTTPError):
                    health.get("/healthz")
                latencies.append(time.monotonic() - started)
                stop.wait(HEALTH_EVERY_S)

    rss_before = served.rss_kib()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.monotonic()
    response: httpx.Response | None = None
    failure: str | None = None
    try:
        with httpx.Client(base_url=served.base, timeout=timeout) as client:
            response = send(client)
    except httpx.HTTPError as exc:
        failure = f"{type(exc).__name__}: {exc}"
    seconds = time.monotonic() - started
    stop.set()
    watcher.join(HEALTH_TIMEOUT_S + 1)
    return FreezeReport(seconds, response, failure, latencies, rss_before, served.rss_kib())
