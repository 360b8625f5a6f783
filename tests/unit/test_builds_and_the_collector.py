"""While the name index or the matching vocabulary builds, the cyclic collector makes no full
collection (one walks everything the build holds, a million rows and more, in one C call
holding the GIL: 0.4-1.1 s at 1M, which the event loop waited on), yet goes on collecting the
young garbage of what the loop serves meanwhile; once the build ends, full collections come
back, and the middle collections the build caused do not make one due at once (it would walk
everything the process keeps, 0.5 s at 1M).

No timing: the collector is set up so that a full collection is due after every other young
one (everything alive frozen, so the oldest generation is nearly empty and whatever survives
is soon a quarter of it), the build is held in its thread until the loop has made garbage
enough for many collections, and `gc.callbacks` says which generations were collected."""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from credgraph import collector
from credgraph.collector import BUILD_YOUNG_THRESHOLD, NEVER, young_only
from credgraph.match import index as vocabulary_index
from credgraph.match.index import Vocabularies
from credgraph.model import Credential, Skill
from credgraph.resolving import service
from credgraph.resolving.service import NameIndexCache
from credgraph.store import open_store

CHURNS = 200  # rounds of garbage the loop makes while the build is held


class Collections:
    """The generations collected while `watching`, in any thread."""

    def __init__(self) -> None:
        self.generations: list[int] = []
        self.watching = False

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start" and self.watching:
            self.generations.append(info["generation"])


@pytest.fixture
def collections() -> Iterator[Collections]:
    """A collector eager for full collections, and what it collects."""
    was_enabled, thresholds = gc.isenabled(), gc.get_threshold()
    seen = Collections()
    gc.enable()
    gc.freeze()
    gc.collect()  # the oldest generation now nearly empty: a full collection is soon due
    gc.set_threshold(100, 1, 1)
    gc.callbacks.append(seen)
    try:
        yield seen
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        (gc.enable if was_enabled else gc.disable)()


class Held:
    """A build step held in its thread until `release` (set by the test)."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def wrap(self, real: Any) -> Any:
        def held(*args: Any) -> Any:
            self.started.set()
            if not self.release.wait(60):
                raise RuntimeError("the test never released the build")
            return real(*args)

        return held


async def churn(kept: list[object]) -> None:
    """Garbage as requests make it: cycles only the collector frees, and some that lives on."""
    for _ in range(CHURNS):
        for _ in range(100):
            cycle: list[object] = []
            cycle.append(cycle)
            kept.append([])
        await asyncio.sleep(0)


async def while_held(held: Held, collections: Collections, build: asyncio.Future[Any]) -> None:
    """The loop's garbage made while the build is held in its thread, watched."""
    while not held.started.is_set():
        await asyncio.sleep(0.001)
    kept: list[object] = []
    collections.watching = True
    await churn(kept)
    collections.watching = False
    held.release.set()
    await build


async def collected_meanwhile(collections: Collections) -> list[int]:
    """The generations collected while the loop makes garbage, nothing held."""
    collections.generations = []
    collections.watching = True
    await churn([])
    collections.watching = False
    return collections.generations


async def test_the_name_index_builds_with_young_collections_only(
    tmp_path: Path, collections: Collections, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = Held()
    monkeypatch.setattr(service, "_index_of", held.wrap(service._index_of))
    async with open_store(f"sqlite:///{tmp_path / 'g.db'}") as store:
        await store.upsert_credentials(
            [Credential("https://c.example/1", "AWS Cloud Practitioner")]
        )
        cache = NameIndexCache()
        build = asyncio.ensure_future(cache.index(store))
        await while_held(held, collections, build)
        during = collections.generations
        index = build.result()
        after = await collected_meanwhile(collections)
    assert index.ids[0] == "https://c.example/1"
    assert 0 in during  # the loop's young garbage was collected meanwhile
    assert 2 not in during  # and nothing walked the oldest generation
    assert after[0] != 2  # no full collection due because of the build
    assert 2 in after  # the build over, full collections come back


async def test_the_vocabulary_builds_with_young_collections_only(
    tmp_path: Path, collections: Collections, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = Held()
    monkeypatch.setattr(vocabulary_index, "build", held.wrap(vocabulary_index.build))
    async with open_store(f"sqlite:///{tmp_path / 'g.db'}") as store:
        await store.upsert_skills([Skill("https://s.example/sql", "SQL")])
        build = asyncio.ensure_future(Vocabularies().get(store))
        await while_held(held, collections, build)
        during = collections.generations
        graph = build.result()
        after = await collected_meanwhile(collections)
    assert graph.skill_ids == frozenset({"https://s.example/sql"})
    assert 0 in during
    assert 2 not in during
    assert after[0] != 2
    assert 2 in after


def test_builders_in_two_threads_nest() -> None:
    """The last builder to finish restores the oldest generation's threshold."""
    before = gc.get_threshold()
    entered, leave_first = threading.Event(), threading.Event()

    def first() -> None:
        with young_only():
            entered.set()
            leave_first.wait(30)

    thread = threading.Thread(target=first)
    thread.start()
    assert entered.wait(30)
    with young_only():
        leave_first.set()
        thread.join(30)
        still = gc.get_threshold()  # the first builder left; this one still builds
    assert still == (min(before[0], BUILD_YOUNG_THRESHOLD), 1, NEVER)
    # As before, the oldest raised by the middle collections made meanwhile, if any.
    assert gc.get_threshold()[:2] == before[:2] and gc.get_threshold()[2] >= before[2]


@pytest.fixture
def thresholds_kept() -> Iterator[None]:
    before = gc.get_threshold()
    try:
        yield
    finally:
        gc.set_threshold(*before)


def test_builds_without_end_still_let_a_full_collection_run(
    thresholds_kept: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Builds following each other while a crawl writes could hold the oldest generation back
    for good: once `MAX_SPARING_SECONDS` have passed since the last full collection, the next
    middle collection lets one run (the clock moved, not waited for)."""
    gc.set_threshold(700, 10, 10)
    with young_only():
        gc.collect(1)
        assert gc.get_threshold()[2] == NEVER  # a full collection ran moments ago at most
        monkeypatch.setattr(collector, "_last_full", collector._last_full - 1_000)
        gc.collect(1)
        assert gc.get_threshold()[2] == 1  # the next middle collection is a full one
        gc.collect()  # that full collection
        assert gc.get_threshold()[2] == NEVER  # held back again, for as long
    # The oldest was collected during the build: nothing owed, the configured threshold back.
    assert gc.get_threshold() == (700, 10, 10)


def test_a_full_collection_during_a_build_clears_what_earlier_builds_deferred(
    thresholds_kept: None,
) -> None:
    gc.set_threshold(700, 10, 10)
    gc.collect()
    with young_only():
        for _ in range(5):
            gc.collect(1)  # middle collections the build caused
    deferred = gc.get_threshold()[2]
    assert deferred > 10  # owed to the oldest: counted, a full collection would be due now
    with young_only():
        gc.collect()  # a full one (an explicit `gc.collect()`) while the second build runs
    assert gc.get_threshold() == (700, 10, 10)
