"""Scheduler replicas start together on a new SQLite file: each must open it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # processes

SCRIPT = """
import asyncio, sys, time
from credgraph.store import open_store

async def main() -> None:
    time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # all open at the same instant
    async with open_store(sys.argv[1]) as store:
        await store.ping()

asyncio.run(main())
"""


def test_processes_opening_a_new_sqlite_file_at_once_all_succeed(tmp_path: Path) -> None:
    for attempt in range(2):
        url = f"sqlite:///{tmp_path / f'g{attempt}.db'}"
        start = str(time.time() + 2.0)  # after every process has imported credgraph
        processes = [subprocess.Popen([sys.executable, "-c", SCRIPT, url, start],
                                      stderr=subprocess.PIPE) for _ in range(4)]  # fmt: skip
        errors = [p.communicate(timeout=60)[1].decode() for p in processes]
        assert [p.returncode for p in processes] == [0] * 4, errors
