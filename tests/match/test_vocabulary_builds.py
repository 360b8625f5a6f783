"""The matching vocabulary is built by a task of its own: a request giving up (past its
timeout) does not stop the build, later requests find it done, and a request meanwhile
waits a bounded time, then reads the previous version's labels or is told to ask again.
On 1M credentials (200,000 skills) a build takes about 50 s: every matchJob timed out at
10 s and began it again."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from credgraph.match import index as vocabulary_index
from credgraph.match.index import Vocabularies, VocabularyNotReady
from credgraph.model.records import Skill
from credgraph.store import GraphStore
from tests.api.conftest import errors


class HeldBuilds:
    """Builds that wait for `release` before they build (a build never ends on its own
    meanwhile: no timing in the assertions)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = 0

    def wrap(self, real: Any) -> Any:
        def held(*args: Any) -> Any:
            self.started += 1
            if not self.release.wait(60):
                raise RuntimeError("the test never released the build")
            return real(*args)

        return held


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldBuilds]:
    builds = HeldBuilds()
    monkeypatch.setattr(vocabulary_index, "build", builds.wrap(vocabulary_index.build))
    yield builds
    builds.release.set()


async def test_a_caller_giving_up_leaves_the_build_going(
    store: GraphStore, held: HeldBuilds
) -> None:
    vocabularies = Vocabularies(recheck_seconds=0.0)
    with pytest.raises(VocabularyNotReady, match="still being read"):
        await vocabularies.within(store, 0.05)
    held.release.set()
    graph, current = await vocabularies.within(store, None)
    # Every build begun was finished and kept, none stopped with the caller that began it (a
    # write landing meanwhile makes it two, as it now and then does in the whole suite).
    assert current and vocabularies.builds == held.started >= 1
    assert graph.skill_ids


async def test_the_previous_vocabulary_answers_while_the_next_builds(
    store: GraphStore, held: HeldBuilds
) -> None:
    vocabularies = Vocabularies(recheck_seconds=0.0)
    held.release.set()
    first = await vocabularies.get(store)
    held.release.clear()
    await store.upsert_skills([Skill("label:kubernetes", "Kubernetes")])
    graph, current = await vocabularies.within(store, 0.05)
    assert graph is first and not current
    held.release.set()
    rebuilt = await vocabularies.get(store)
    assert "label:kubernetes" in rebuilt.skill_ids and vocabularies.builds >= 2


async def test_match_job_says_the_vocabulary_is_being_built(
    store: GraphStore, held: HeldBuilds, monkeypatch: pytest.MonkeyPatch
) -> None:
    from credgraph.api import matching

    monkeypatch.setattr(matching, "VOCABULARY_WAIT_SECONDS", 0.05)
    monkeypatch.setattr(matching, "VOCABULARIES", Vocabularies(recheck_seconds=0.0))
    found = await errors(store, '{ matchJob(text: "SQL") { skills { id } } }', {})
    assert found[0]["extensions"]["code"] == "TIMEOUT"
    assert "still being read for matching" in found[0]["message"]


async def test_a_caller_after_a_change_never_gets_the_older_build_as_current(
    store: GraphStore, held: HeldBuilds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A caller that read a newer version while an older one's build ran waits for that build,
    then for its own: not the older vocabulary flagged current (the 5 s between version
    checks counts from when a build read its version, not from when it ended)."""
    reads: list[tuple[object, ...]] = []
    real_version = vocabulary_index.store_version

    async def counted(store: GraphStore) -> tuple[object, ...]:
        version = await real_version(store)
        reads.append(version)  # the caller goes on to wait without yielding before it
        return version

    monkeypatch.setattr(vocabulary_index, "store_version", counted)
    vocabularies = Vocabularies()  # checks the version at most every 5 s
    first = asyncio.ensure_future(vocabularies.get(store))
    await until(lambda: held.started == 1)  # the first build read its version, waits to build
    await store.upsert_skills([Skill("label:kubernetes", "Kubernetes")])
    second = asyncio.ensure_future(vocabularies.within(store, None))
    await until(lambda: len(reads) == 2 and reads[1] != reads[0])  # it waits for the first
    held.release.set()
    older = await first
    graph, current = await second
    assert "label:kubernetes" not in older.skill_ids
    assert current and "label:kubernetes" in graph.skill_ids


async def until(condition: Callable[[], bool]) -> None:
    for _ in range(3000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition did not come true in 30 s")


async def test_a_failed_rebuild_answers_from_the_previous_vocabulary(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    vocabularies = Vocabularies(recheck_seconds=0.0)
    previous = await vocabularies.get(store)
    real = vocabulary_index.build

    def failing(*args: Any) -> Any:
        raise RuntimeError("the store went away")

    monkeypatch.setattr(vocabulary_index, "build", failing)
    await store.upsert_skills([Skill("label:kubernetes", "Kubernetes")])
    graph, current = await vocabularies.within(store, 5.0, 5.0)
    assert graph is previous and not current
    with pytest.raises(RuntimeError, match="went away"):
        await vocabularies.get(store)  # a caller waiting for the current version is told
    monkeypatch.setattr(vocabulary_index, "build", real)
    assert "label:kubernetes" in (await vocabularies.get(store)).skill_ids
