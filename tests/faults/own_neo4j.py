"""A Neo4j of a fault test's own, started and stopped with tools/neo4j/server.

Fault tests stop the server under the code they test, so they never use the suite's shared
Neo4j (CREDGRAPH_TEST_NEO4J_URL), which other tests rely on. The port is
CREDGRAPH_FAULT_NEO4J_PORT, or a free one. The launcher starts every server empty: a restart
loses what was stored, unlike a production restart.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "neo4j" / "server"


def launcher(command: str, port: int) -> str:
    """Run `tools/neo4j/server <command>` for `port`; the last line it prints (the URL)."""
    done = subprocess.run(
        [str(SCRIPT), command], env={**os.environ, "NEO4J_PORT": str(port)},
        capture_output=True, text=True, timeout=180, check=True,
    )  # fmt: skip
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def fault_port(free_port: int) -> int:
    """The port for a fault test's own server; refuses the suite's shared one."""
    port = int(os.environ.get("CREDGRAPH_FAULT_NEO4J_PORT") or free_port)
    shared = os.environ.get("CREDGRAPH_TEST_NEO4J_URL", "")
    if shared.rstrip("/").endswith(f":{port}"):
        raise RuntimeError(
            f"port {port} is the suite's shared Neo4j: a fault test stops its own server"
        )
    return port


@contextmanager
def running_neo4j(port: int) -> Iterator[str]:
    """Start a Neo4j on `port`, yield its bolt URL, stop it afterwards."""
    url = launcher("start", port)
    try:
        yield url
    finally:
        launcher("stop", port)
