"""Memory a build freed is given back to the system (`credgraph.heap`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from credgraph import heap
from credgraph.match.index import Vocabularies
from credgraph.model import Credential, Skill
from credgraph.resolving.service import NameIndexCache
from credgraph.store import open_store

MIB = 1 << 20


def _resident_anonymous() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no RssAnon in /proc/self/status")


def _in_thread(work: Callable[[], None]) -> None:
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


@pytest.mark.skipif(not heap.can_give_back(), reason="the C allocator here is not glibc's")
def test_pages_a_thread_freed_are_given_back() -> None:
    # As a builder thread does: many blocks bigger than Python's own allocator takes (512
    # bytes), all but the last freed. The last one holds the arena's top, so freeing the
    # rest gives nothing back by itself.
    measured: dict[str, int] = {}
    held: list[bytes] = []

    def build_and_free() -> None:
        rows = [bytes(2_000) for _ in range(64 * MIB // 2_000)]
        held.append(rows[-1])
        measured["built"] = _resident_anonymous()
        del rows
        measured["freed"] = _resident_anonymous()
        heap.give_back()
        measured["given back"] = _resident_anonymous()

    _in_thread(build_and_free)
    assert measured["freed"] > measured["built"] - 16 * MIB  # free alone kept the pages
    assert measured["given back"] < measured["freed"] - 48 * MIB
    assert held  # the block at the top stays until here


def test_give_back_is_harmless_when_nothing_is_free() -> None:
    heap.give_back()
    assert isinstance(heap.give_back(), bool)


async def test_both_builds_give_back_in_their_threads_what_they_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given_back_in: list[str] = []

    def recorded() -> bool:
        given_back_in.append(threading.current_thread().name)
        return True

    monkeypatch.setattr(heap, "give_back", recorded)
    async with open_store(f"sqlite:///{tmp_path / 'g.db'}") as store:
        await store.upsert_skills([Skill("https://s.example/sql", "SQL")])
        await store.upsert_credentials([Credential("https://c.example/1", "SQL Basics")])
        index = await NameIndexCache().index(store)
        graph = await Vocabularies().get(store)
    assert list(index.ids) == ["https://c.example/1"]
    assert graph.skill_ids == frozenset({"https://s.example/sql"})
    assert len(given_back_in) == 2  # once a build
    assert threading.main_thread().name not in given_back_in  # not on the event loop
