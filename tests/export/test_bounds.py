"""Exports are bounded: the rendering runs off the event loop's thread, a deadline stops an
export at its next step and closes the store's stream, and export slots are taken atomically
and given back once."""

from __future__ import annotations

import asyncio
import threading

import pytest

from credgraph.export import Export, Selection
from credgraph.export.deadline import Deadline, ExportTimedOut
from credgraph.export.formats.ndjson import NDJson
from credgraph.export.slots import ExportSlots, TooManyExports
from credgraph.export.stream import Tally, render
from credgraph.model.views import GraphEdge, GraphNode
from credgraph.store import GraphStore
from tests.export.slow_store import slow


async def graph_size(store: GraphStore) -> int:
    return len([item async for item in store.iter_graph()])


class ThreadNoting(NDJson):
    """NDJSON that notes which threads wrote its nodes and edges."""

    def __init__(self) -> None:
        self.threads: set[int] = set()

    def node(self, node: GraphNode) -> bytes:
        self.threads.add(threading.get_ident())
        return super().node(node)

    def edge(self, edge: GraphEdge) -> bytes:
        self.threads.add(threading.get_ident())
        return super().edge(edge)


async def test_items_are_written_off_the_event_loop_thread(store: GraphStore) -> None:
    fmt = ThreadNoting()
    chunks = [chunk async for chunk in render(store.iter_graph(), fmt, Tally(), interleaved=False)]
    assert b"".join(data for _name, data in chunks).count(b'"element":"node"') > 5
    assert fmt.threads and threading.get_ident() not in fmt.threads


@pytest.mark.slow
async def test_a_deadline_stops_an_export_and_closes_the_stores_stream(
    store: GraphStore,
) -> None:
    slow_store, seen = slow(store, delay=0.05)
    export = Export(slow_store, Selection(), "graphml", deadline=Deadline(0.3))
    chunks = []
    with pytest.raises(ExportTimedOut, match=r"deadline of 0\.3 s"):
        async for chunk in export.zip_stream():
            chunks.append(chunk)
    # Stopped after a handful of items, not after the whole graph at 50 ms each.
    assert seen.items_read < 20 < await graph_size(store)
    assert seen.streams_closed == seen.streams_opened
    assert b"manifest.json" not in b"".join(chunks)  # a cut zip never looks complete


async def test_a_deadline_already_passed_reads_nothing(store: GraphStore) -> None:
    slow_store, seen = slow(store, delay=0)
    deadline = Deadline(0.001)
    await asyncio.sleep(0.01)
    with pytest.raises(ExportTimedOut):
        async for _ in Export(slow_store, Selection(), "csv", deadline=deadline).parts():
            pass
    assert seen.items_read == 0


def test_a_deadline_must_be_positive() -> None:
    with pytest.raises(ValueError, match="must be positive"):
        Deadline(0)


def test_slots_refuse_past_the_cap_and_are_given_back_once() -> None:
    slots = ExportSlots(2)
    first, _second = slots.take(), slots.take()
    with pytest.raises(TooManyExports, match="at most 2 at once; retry in 5 s"):
        slots.take()
    first.release()
    first.release()  # a second release must not free someone else's slot
    assert slots.held == 1
    with slots.take():
        assert slots.held == 2
    assert slots.held == 1


def test_slots_are_taken_atomically_by_racing_threads() -> None:
    slots = ExportSlots(3)
    start = threading.Barrier(40)
    taken: list[bool] = []

    def race() -> None:
        start.wait()
        try:
            slots.take()
            taken.append(True)
        except TooManyExports:
            taken.append(False)

    threads = [threading.Thread(target=race) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert taken.count(True) == 3 and slots.held == 3
