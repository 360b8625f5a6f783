"""The serving processes' collector settings (credgraph.api.http.collector), checked in a
child process: freezing in the test process would keep every test's objects for good."""

from __future__ import annotations

import subprocess
import sys

import pytest

from credgraph.api.http.collector import YOUNG_THRESHOLD

pytestmark = pytest.mark.slow  # a child interpreter

PROBE = """
import gc
from credgraph.api.http.collector import tune_for_serving
before = gc.get_threshold()
tune_for_serving()
print(gc.get_freeze_count(), *before, *gc.get_threshold())
"""


def test_serving_freezes_startup_and_spaces_out_young_collections() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout.split()
    frozen, *before, young, older, oldest = map(int, out)
    assert frozen > 1000  # the modules imported so far, at least
    assert young == YOUNG_THRESHOLD != before[0]
    assert (older, oldest) == tuple(before[1:])
