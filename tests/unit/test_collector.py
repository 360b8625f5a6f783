"""The collector settings (credgraph.collector). A serving process's are checked in a child
process: freezing in the test process would keep every test's objects for good."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator

import pytest

from credgraph.collector import YOUNG_THRESHOLD, paused

PROBE = """
import gc
from credgraph.collector import tune_for_serving
before = gc.get_threshold()
tune_for_serving()
print(gc.get_freeze_count(), *before, *gc.get_threshold())
"""


def child(script: str) -> list[int]:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, check=True
    ).stdout.split()
    return list(map(int, out))


@pytest.mark.slow  # a child interpreter
def test_serving_freezes_startup_and_spaces_out_young_collections() -> None:
    frozen, *before, young, older, oldest = child(PROBE)
    assert frozen > 1000  # the modules imported so far, at least
    assert young == YOUNG_THRESHOLD != before[0]
    assert (older, oldest) == tuple(before[1:])


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


@pytest.mark.usefixtures("collector_on")
def test_pausing_builders_in_two_threads_nest() -> None:
    entered, leave_first = threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with paused():
            entered.set()
            leave_first.wait(30)

    thread = threading.Thread(target=first)
    thread.start()
    assert entered.wait(30)
    with paused():
        leave_first.set()
        thread.join(30)
        seen.append(gc.isenabled())  # the first builder left; this one still builds
    seen.append(gc.isenabled())
    assert seen == [False, True]


@pytest.mark.usefixtures("collector_on")
def test_a_collector_turned_off_before_stays_off() -> None:
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()
