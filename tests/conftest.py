"""Shared fixtures: a real Neo4j for the whole session (started by tools/neo4j/server unless
CREDGRAPH_TEST_NEO4J_URL names one). The recorded real-world documents live in the
repository under crawlers/ (found with tests.crawlers.corpus)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from credgraph.cli.main import main

ROOT = Path(__file__).resolve().parent.parent

NEO4J_SCRIPT = ROOT / "tools" / "neo4j" / "server"


def neo4j_wanted() -> bool:
    """Neo4j tests run unless a developer opts out locally; CI never may."""
    off = os.environ.get("CREDGRAPH_TEST_NEO4J", "").lower() in ("off", "0", "no")
    if off and os.environ.get("CI"):
        raise pytest.UsageError("CREDGRAPH_TEST_NEO4J=off is not allowed in CI")
    return not off


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if neo4j_wanted():
        return
    kept = [i for i in items if "neo4j" not in i.keywords]
    dropped = [i for i in items if "neo4j" in i.keywords]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
        print(f"\nWARNING: {len(dropped)} Neo4j tests deselected (CREDGRAPH_TEST_NEO4J=off)")


@pytest.fixture(scope="session")
def neo4j_url() -> Iterator[str]:
    given = os.environ.get("CREDGRAPH_TEST_NEO4J_URL")
    if given:
        yield given
        return
    port = os.environ.get("NEO4J_PORT", "7687")
    env = {**os.environ, "NEO4J_PORT": port}
    started = subprocess.run(
        [str(NEO4J_SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=900
    )
    if started.returncode != 0:
        pytest.fail(f"could not start Neo4j for tests:\n{started.stdout}\n{started.stderr}")
    url = started.stdout.strip().splitlines()[-1]
    try:
        yield url
    finally:
        subprocess.run([str(NEO4J_SCRIPT), "stop"], env=env, capture_output=True, timeout=120)


@dataclass(frozen=True)
class DemoGraph:
    """The graph `credgraph demo --no-serve` loads, crawled once for the whole session (a few
    seconds of CPU): tests that write to it take a copy."""

    path: Path
    output: str  # what the first run printed

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def copy_to(self, target: Path) -> str:
        """A copy at `target` (SQLite's online backup, so nothing is half-copied); its URL."""
        with (
            closing(sqlite3.connect(self.path)) as source,
            closing(sqlite3.connect(target)) as copy,
        ):
            source.backup(copy)
        return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def demo_graph(tmp_path_factory: pytest.TempPathFactory) -> DemoGraph:
    path = tmp_path_factory.mktemp("demo-graph") / "credgraph-demo.db"
    loaded = CliRunner().invoke(main, ["demo", "--no-serve", "--store", f"sqlite:///{path}"])
    assert loaded.exit_code == 0, loaded.output
    return DemoGraph(path, loaded.output)
