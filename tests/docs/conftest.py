"""The demo graph the documentation's examples are run against: the session's `credgraph demo
--no-serve` graph, copied once for the package to the file name the README gives
(./credgraph-demo.db)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DemoGraph

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="package")
def demo_dir(tmp_path_factory: pytest.TempPathFactory, demo_graph: DemoGraph) -> Path:
    """A directory holding credgraph-demo.db, as after `credgraph demo` run there."""
    folder = tmp_path_factory.mktemp("docs-demo")
    demo_graph.copy_to(folder / "credgraph-demo.db")
    return folder
