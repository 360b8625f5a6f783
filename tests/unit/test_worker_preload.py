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


MARKER = """
import os
with open(os.environ["MARKER_FILE"], "a") as seen:
    seen.write(f"{os.getpid()}\\n")  # each process that imports this module
"""

BESIDE = """
import sys
ARGUMENT = sys.argv[1]  # fails without the script's arguments: in a fork server
"""

MAIN_IMPORTS = """
import asyncio, os, sys
import marker
from beside import ARGUMENT
from credgraph.worker_processes import WorkerProcesses

async def main():
    workers = WorkerProcesses(2, ["__main__"])
    try:
        pool = await workers.pool()
        print(pool.schedule(os.getpid).result(timeout=60), os.getpid())
    finally:
        workers.close()

if __name__ == "__main__":
    asyncio.run(main())
"""


@pytest.mark.slow  # starts an interpreter and its worker processes
def test_workers_do_not_import_the_main_scripts_modules_again(tmp_path: Path) -> None:
    # A worker runs the main script again before its first task; the fork server must have
    # imported what the script imports (Python 3.11 never preloads the script itself), or
    # every worker pays for it: the whole CLI, about 1 s of CPU, under `credgraph`. A module
    # beside the script is not preloaded: it may read the script's arguments as it loads.
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "marker.py").write_text(MARKER)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "beside.py").write_text(BESIDE)
    script = tmp_path / "app" / "main_imports.py"
    script.write_text(MAIN_IMPORTS)
    seen = tmp_path / "seen.txt"
    done = subprocess.run(
        [sys.executable, str(script), "an argument"],
        cwd=script.parent,  # where the fork server finds the module beside the script
        env={
            "PYTHONPATH": f"{tmp_path / 'lib'}:{ROOT / 'src'}",
            "PATH": "/usr/bin:/bin",
            "MARKER_FILE": str(seen),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    worker, parent = done.stdout.split()
    importers = seen.read_text().split()
    assert parent in importers  # the marker is imported where the script runs first
    assert len(importers) == 2, importers  # and once more: by the fork server
    assert worker not in importers
