"""While the shared linker is rebuilt (seconds at ESCO size), verifications are handed the
previous one and link with it at once: the rebuild runs in a thread of its own."""

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
