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

from credgraph.collector import YOUNG_THRESHOLD, building_long_lived, paused

PROBE = """
import gc
from credgraph.collector import tune_for_serving
before = gc.get_threshold()
tune_for_serving()
print(gc.get_freeze_count(), *before, *gc.get_threshold())
"""

# A serving process builds the name index of 3,000 stored credentials through the API's own
# cache, then, the graph changed, a second one replacing it.
REBUILT = """
import asyncio, gc
from credgraph.collector import tune_for_serving
from credgraph.model import Credential, CredentialType, Issuer
from credgraph.resolving.index import NameIndex
from credgraph.resolving.service import index_cache
from credgraph.store import open_store

def tracked_within(index):
    # The containers the collector would walk, reached from the index (not through types).
    seen, stack = {}, [index]
    while stack:
        o = stack.pop()
        if id(o) not in seen:
            seen[id(o)] = o
            stack.extend(r for r in gc.get_referents(o) if not isinstance(r, type))
    return sum(1 for o in seen.values() if gc.is_tracked(o))

def credentials(n, version):
    issuer = Issuer(f"https://issuer-{n % 40}.example/", f"Issuer {n % 40} Academy")
    return Credential(
        f"https://issuer.example/c/{n}", f"Certified {version} Analyst {n} Associate",
        CredentialType.CERTIFICATION, issuer=issuer, alternate_names=(f"CA-{n}",),
    )

async def main():
    tune_for_serving()
    async with open_store("sqlite:///:memory:") as store:
        await store.upsert_credentials([credentials(n, "Data") for n in range(3000)])
        cache = index_cache(store)
        start = gc.get_freeze_count()
        first = await cache.index(store, fresh=True)
        objects = tracked_within(first)
        with_first = gc.get_freeze_count()
        await store.upsert_credentials([credentials(n, "Cloud") for n in range(3000)])
        second = await cache.index(store, fresh=True)
        assert second is not first
        del first
        walked = sum(1 for o in gc.get_objects() if o is second)
        tracked = len(gc.get_objects())
        gc.unfreeze()  # to count every index still alive, frozen or not
        alive = sum(1 for o in gc.get_objects() if isinstance(o, NameIndex))
        print(start, objects, with_first, walked, alive, int(gc.isenabled()), tracked)

asyncio.run(main())
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


@pytest.mark.slow  # a child interpreter
def test_a_serving_process_freezes_its_name_index_and_frees_the_one_replaced() -> None:
    start, objects, with_first, walked, alive, enabled, tracked = child(REBUILT)
    assert objects >= 100  # its dicts and sets; what it holds is packed in few objects
    # The index is set aside from full collections: what they walk stays small.
    assert with_first - start >= objects
    assert walked == 0
    assert tracked < objects
    # The replaced index is freed though frozen (it holds no cycles): one index is alive.
    assert alive == 1
    assert enabled == 1  # the collector is back on after the builds


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


@pytest.mark.usefixtures("collector_on")
def test_outside_a_serving_process_nothing_is_frozen() -> None:
    before = gc.get_freeze_count()
    with building_long_lived():
        kept = [{"n": [n]} for n in range(1000)]
        assert not gc.isenabled()
    assert gc.get_freeze_count() == before and len(kept) == 1000
    assert gc.isenabled()
