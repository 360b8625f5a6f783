"""While the shared linker is rebuilt (seconds at ESCO size), verifications are handed the
previous one and link with it at once: the rebuild runs in a thread of its own. A build
outlives the verification that started it: one that gives up waiting (its store deadline)
leaves it running for the next, and its failure is recorded all the same."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from credgraph.verify import linking

WAIT_S = 30.0


class EmptyStore:
    async def iter_graph(self) -> Any:
        if False:  # pragma: no cover - an empty graph
            yield None

    async def equivalence_pairs(self) -> list[Any]:
        return []


async def test_linking_with_the_previous_linker_does_not_wait_for_a_rebuild(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = linking._linker_of
    building, may_finish = threading.Event(), threading.Event()
    builds = 0

    def held_build(nodes: Any, pairs: Any) -> Any:
        nonlocal builds
        builds += 1
        if builds == 2:  # the rebuild: held until the test lets it go
            building.set()
            may_finish.wait(WAIT_S)
        return real(nodes, pairs)

    monkeypatch.setattr(linking, "_linker_of", held_build)
    now = [0.0]
    shared = linking.SharedLinker(clock=lambda: now[0])
    store: Any = EmptyStore()
    first = await shared.get(store)
    now[0] = 10_000.0  # past max_age_seconds: the next get rebuilds
    rebuild = asyncio.create_task(shared.get(store))
    try:
        assert await asyncio.to_thread(building.wait, WAIT_S)
        stale = await asyncio.wait_for(shared.get(store), WAIT_S)
        assert stale is first
        # Linking with it finishes while the rebuild is still held.
        assert await asyncio.wait_for(shared.link(stale, []), WAIT_S) == []
        assert not rebuild.done()
    finally:
        may_finish.set()
        await asyncio.wait_for(rebuild, WAIT_S)


class HeldLoad:
    """A linker load held until `may_finish` is set, counting the loads started; it fails
    instead of returning a linker when `fails`."""

    def __init__(self, *, fails: bool = False) -> None:
        self.may_finish = asyncio.Event()
        self.loads = 0
        self.linker: Any = object()
        self.fails = fails

    async def __call__(self, store: Any) -> Any:
        self.loads += 1
        await self.may_finish.wait()
        if self.fails:
            raise RuntimeError("the frameworks could not be read")
        return self.linker


async def given_up(shared: linking.SharedLinker, store: Any) -> None:
    """A caller that stops waiting for the linker, as `Verifier._mapped` does at its store
    deadline (the load is held: this deadline always passes first)."""
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.01):
            await shared.get(store)


async def test_a_build_goes_on_for_the_next_caller_when_its_caller_gives_up() -> None:
    load = HeldLoad()
    shared = linking.SharedLinker(load=load)
    store: Any = EmptyStore()
    await given_up(shared, store)
    load.may_finish.set()
    assert await asyncio.wait_for(shared.get(store), WAIT_S) is load.linker
    assert (load.loads, shared.builds) == (1, 1)  # the same build, not one started again


async def test_a_build_that_fails_after_its_caller_gave_up_is_recorded_as_failed() -> None:
    load = HeldLoad(fails=True)
    shared = linking.SharedLinker(load=load)
    store: Any = EmptyStore()
    await given_up(shared, store)
    load.may_finish.set()
    with pytest.raises(linking.LinkerUnavailable, match="could not be read"):
        await asyncio.wait_for(shared.get(store), WAIT_S)  # the same build's failure
    with pytest.raises(linking.LinkerUnavailable, match="failed 0 s ago"):
        await asyncio.wait_for(shared.get(store), WAIT_S)  # not asked again for a while
    assert (load.loads, shared.builds) == (1, 0)
