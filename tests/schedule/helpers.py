"""Scheduler tests' tools: a clean catalog on the local test server, a sources.toml for it,
and `credgraph scheduler` as a real subprocess whose JSON log lines the tests read."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.crawl.catalogs import ISSUER, badge, page
from tests.crawl.server import CatalogServer, Route

CREDGRAPH = str(Path(sys.executable).parent / "credgraph")
CRAWLER = """
[crawler]
user_agent = "credgraph-test (+https://example.org/contact)"
delay_seconds = 0
allow_private_networks = true
timeout_seconds = 5
max_retries = 0
"""


def serve_catalog(
    server: CatalogServer, prefix: str, pages: int, per_page: int = 3, delay: float = 0.0
) -> str:
    """Serve `pages` pages of badges under /<prefix>; returns the first page's URL."""
    base = server.url("")
    for n in range(1, pages + 1):
        badges = [
            badge(1000 * n + i, f"{prefix} badge {n}.{i}", skills=["SQL"]) for i in range(per_page)
        ]
        body = page(badges, f"/{prefix}?page={n + 1}" if n < pages else None, base)
        body = body.replace(f"{base}/badges/", f"{base}/{prefix}/badges/")
        server.routes[f"/{prefix}?page={n}"] = Route(body, delay=delay)
    server.routes["/issuer"] = Route(json.dumps(ISSUER).replace("{base}", base))
    return server.url(f"/{prefix}?page=1")


def source_toml(source_id: str, url: str, every: str = "2s") -> str:
    return f'\n[[source]]\nid = "{source_id}"\nformat = "openbadges"\nurl = "{url}"\nevery = "{every}"\n'


def write_config(path: Path, *sources: str) -> Path:
    path.write_text(CRAWLER + "".join(sources))
    return path


@dataclass
class Scheduler:
    """A `credgraph scheduler` process and the events it logged."""

    process: subprocess.Popen[bytes]
    log_path: Path
    read: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)

    def poll_events(self) -> list[dict[str, Any]]:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        for line in text[self.read :].splitlines(keepends=True):
            if not line.endswith("\n"):
                break
            self.read += len(line)
            if line.startswith("{"):
                self.events.append(json.loads(line))
        return self.events

    def named(self, event: str, **fields: Any) -> list[dict[str, Any]]:
        return [
            e
            for e in self.poll_events()
            if e["event"] == event and all(e.get(k) == v for k, v in fields.items())
        ]

    def job_errors(self) -> list[dict[str, Any]]:
        """Errors of the scheduler itself (a job that raised, a run cancelled by shutdown)."""
        return [
            e
            for e in self.poll_events()
            if e["level"] == "error" and e["logger"].startswith(("credgraph", "apscheduler"))
        ]

    def wait_for(
        self, event: str, count: int = 1, timeout: float = 30.0, **fields: Any
    ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.named(event, **fields)
            if len(found) >= count:
                return found
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(
            f"no {count}x {event!r} {fields} within {timeout} s; exit={self.process.poll()}\n"
            + self.log_path.read_text()[-4000:]
        )

    def signal(self, sig: signal.Signals) -> None:
        self.process.send_signal(sig)

    def stop(self, timeout: float = 60.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def log(self) -> str:
        return self.log_path.read_text()


def start_scheduler(
    config: Path, store: str, log_path: Path, *extra: str, env: dict[str, str] | None = None
) -> Scheduler:
    args = [
        CREDGRAPH,
        "scheduler",
        "--config",
        str(config),
        "--store",
        store,
        "--log-format",
        "json",
        "--jitter",
        "0",
        "--lease-ttl",
        "3",
        "--stop-grace",
        "10",
        "--reload-poll",
        "0",
        *extra,
    ]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            args, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
    return Scheduler(process, log_path)


@contextmanager
def running(
    config: Path, store: str, log_path: Path, *extra: str, env: dict[str, str] | None = None
) -> Iterator[Scheduler]:
    scheduler = start_scheduler(config, store, log_path, *extra, env=env)
    try:
        yield scheduler
    finally:
        if scheduler.process.poll() is None:
            scheduler.process.kill()
            scheduler.process.wait()


def wait_until(predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
