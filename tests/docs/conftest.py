"""The demo graph the documentation's examples are run against, built once for the package
with `credgraph demo --no-serve` into the file name the README gives (./credgraph-demo.db)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from credgraph.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="package")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding credgraph-demo.db, as after `credgraph demo` run there."""
    folder = tmp_path_factory.mktemp("docs-demo")
    store = f"sqlite:///{folder / 'credgraph-demo.db'}"
    loaded = CliRunner().invoke(main, ["demo", "--no-serve", "--store", store])
    assert loaded.exit_code == 0, loaded.output
    return folder
