"""`credgraph serve` as a real subprocess on a free loopback port, for fault and load tests.

A subprocess, not an in-process app: the tests measure what a deployment sees (its own event
loop, its own memory and file descriptors) and must survive the store going away under it.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from tests.api.http_helpers import loaded_store_url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Served:
    base: str
    process: subprocess.Popen[str]

    def rss_kib(self) -> int:
        """Resident memory of the server process (Linux /proc), in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS line")

    def open_fds(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))


@contextmanager
def serving_api(store_url: str, *, env: dict[str, str] | None = None) -> Iterator[Served]:
    """Start `credgraph serve --store store_url`; yield once /readyz answers 200: the store
    answers and the indexes the server builds as it starts are built (their CPU and memory
    would otherwise fall into what a test measures of a request)."""
    port = free_port()
    # The server's log goes to a file: a pipe nobody reads fills up and blocks the server.
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", "from credgraph.cli.main import main; main()", "serve",
             "--store", store_url, "--host", "127.0.0.1", "--port", str(port)],
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL, stderr=log, text=True,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            wait_ready(base, process, log)
            yield Served(base, process)
        finally:
            stop(process)


@contextmanager
def serving_loaded_api(folder: Path, *, env: dict[str, str] | None = None) -> Iterator[Served]:
    """`serving_api` on a SQLite store in `folder` loaded with the contract suite's graph."""
    with serving_api(asyncio.run(loaded_store_url(folder)), env=env) as running:
        yield running


def wait_ready(base: str, process: subprocess.Popen[str], log: IO[str]) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"credgraph serve exited early:\n{log.read()[-4000:]}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("credgraph serve was not ready (/readyz) within 60 s")
        time.sleep(0.1)


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
