"""Two pools of worker processes in one process share one fork server: whichever starts it,
the server has imported what both preload, so neither pool's workers import their modules on
every fork. Run in a fresh interpreter: a process has one fork server, and this test's must
be the first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCENARIO = """
import asyncio, sys
from credgraph.worker_processes import WorkerProcesses
from tests.unit.test_worker_preload import loaded

async def main():
    first = WorkerProcesses(1, ["__main__", "tests.unit.test_worker_preload", "xml.dom.minidom"])
    second = WorkerProcesses(1, ["__main__", "tests.unit.test_worker_preload", "email.mime.text"])
    try:
        pool = await second.pool()  # the second pool starts the fork server
        print(pool.schedule(loaded, args=("email.mime.text",)).result(timeout=60),
              pool.schedule(loaded, args=("xml.dom.minidom",)).result(timeout=60))
        pool = await first.pool()
        print(pool.schedule(loaded, args=("email.mime.text",)).result(timeout=60))
    finally:
        first.close()
        second.close()

if __name__ == "__main__":
    asyncio.run(main())
"""


def loaded(module: str) -> bool:
    """Runs in a worker: whether `module` was imported before the task came."""
    return module in sys.modules


@pytest.mark.slow  # starts an interpreter and its worker processes
def test_the_fork_server_preloads_what_every_pool_asks_for(tmp_path: Path) -> None:
    script = tmp_path / "scenario.py"
    script.write_text(SCENARIO)
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'src'}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True"]
