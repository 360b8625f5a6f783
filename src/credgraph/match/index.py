"""The graph's skill and occupation labels as one `Vocabulary`, built once per store version.

    vocabularies = Vocabularies()
    graph = await vocabularies.get(store)      # built on first use, then reused
    found = find_terms(graph.vocabulary, text)

Building reads every skill and occupation (a few thousand to tens of thousands of labels) and
takes a while; requests reuse it. It is keyed on the store's `graph_version`, which every
write that changes the graph changes (`store_version`). The check is itself a read, so it
runs at most once every `recheck_seconds`; between checks, requests use the vocabulary they
have. The build runs in a worker thread: the event loop only waits.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from credgraph import heap
from credgraph.analysis.occupations import soc_group
from credgraph.collector import emptied, young_only
from credgraph.match.skill_text import CodeFound, Vocabulary
from credgraph.model.records import Occupation, Skill
from credgraph.request_threads import INDEX_BUILDS
from credgraph.store.base import GraphStore

log = logging.getLogger(__name__)

PAGE = 1000
RECHECK_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class GraphVocabulary:
    """What free text is read against: the phrases, and occupations by code."""

    vocabulary: Vocabulary
    by_code: dict[str, tuple[str, ...]]  # O*NET-SOC, SOC or ISCO-08 code -> occupation ids
    skill_ids: frozenset[str]
    occupation_ids: frozenset[str]
    version: tuple[object, ...] = ()

    def occupations_for(self, code: CodeFound) -> tuple[str, ...]:
        """The stored occupations a code names: itself, or a SOC code's detailed ones."""
        return self.by_code.get(code.code, ())


def build(
    skills: Sequence[Skill], occupations: Sequence[Occupation], version: tuple[object, ...] = ()
) -> GraphVocabulary:
    """The vocabulary of these records (pure: a bench or a test builds one without a store)."""
    vocabulary = Vocabulary.build(
        ((s.id, s.name, s.alt_labels) for s in skills),
        ((o.id, o.name, o.alt_labels) for o in occupations),
    )
    by_code: dict[str, list[str]] = {}
    for o in sorted(occupations, key=lambda o: (o.code or "", o.id)):
        if not o.code:
            continue
        by_code.setdefault(o.code.strip(), []).append(o.id)
        group = soc_group(o.code)
        if group is not None and group != o.code.strip():
            by_code.setdefault(group, []).append(o.id)
    return GraphVocabulary(
        vocabulary,
        {k: tuple(v) for k, v in by_code.items()},
        frozenset(s.id for s in skills),
        frozenset(o.id for o in occupations),
        version,
    )


def _built(
    skills: list[Skill], occupations: list[Occupation], version: tuple[object, ...]
) -> GraphVocabulary:
    """`build`, then the records emptied a slice at a time in this thread (dropped at once
    on the event loop, 200,000 skills would hold it), and the pages they held given back to
    the system."""
    graph = build(skills, occupations, version)
    emptied(skills)
    emptied(occupations)
    heap.give_back()
    return graph


async def store_version(store: GraphStore) -> tuple[object, ...]:
    """What changes when the labels may have: the graph's version (one row or node read)."""
    return (await store.graph_version(),)


async def read_all(store: GraphStore) -> tuple[list[Skill], list[Occupation]]:
    """Every skill and occupation of the store, a page at a time."""
    skills: list[Skill] = []
    after: str | None = None
    while True:
        page = await store.list_skills(first=PAGE, after=after)
        skills += page.items
        if not page.has_next_page:
            break
        after = page.end_cursor
    occupations: list[Occupation] = []
    after = None
    while True:
        found = await store.list_occupations(first=PAGE, after=after)
        occupations += found.items
        if not found.has_next_page:
            break
        after = found.end_cursor
    return skills, occupations


@dataclass(slots=True)
class _Entry:
    graph: GraphVocabulary
    checked: float


class VocabularyNotReady(Exception):
    """The store's first vocabulary is still being built after the time a caller gave it."""

    def __init__(self, seconds_building: float) -> None:
        self.seconds_building = seconds_building
        super().__init__(
            f"the graph's skill and occupation labels are still being read for matching "
            f"(for {seconds_building:.0f} s so far; a graph of 200,000 skills takes about a "
            "minute); ask again shortly"
        )


@dataclass(slots=True)
class _Build:
    version: tuple[object, ...]
    task: asyncio.Task[GraphVocabulary]
    started: float


@dataclass
class Vocabularies:
    """One vocabulary per store, rebuilt when the store's version changes.

    A build runs as a task of its own, one per store at a time: a caller giving up (a
    request past its timeout) does not stop it, and the next caller finds it done. Building
    takes seconds (20,000 skills: about 5 s; 200,000: about 50 s), longer than a request may
    wait; `within` bounds the wait and answers with the previous version's vocabulary
    meanwhile."""

    recheck_seconds: float = RECHECK_SECONDS
    builds: int = 0
    _entries: weakref.WeakKeyDictionary[GraphStore, _Entry] = field(
        default_factory=weakref.WeakKeyDictionary
    )
    _building: weakref.WeakKeyDictionary[GraphStore, _Build] = field(
        default_factory=weakref.WeakKeyDictionary
    )

    async def get(self, store: GraphStore) -> GraphVocabulary:
        """The vocabulary of the store's current version, waiting for its build."""
        graph, _ = await self.within(store, None)
        return graph

    async def within(
        self, store: GraphStore, seconds: float | None, rebuild_seconds: float | None = None
    ) -> tuple[GraphVocabulary, bool]:
        """The vocabulary of the store's current version and True, waiting for its build at
        most `seconds` (None: as long as it takes), or `rebuild_seconds` when a previous
        version's is there to answer with; past that, or if the build fails, the previous
        version's and False, or `VocabularyNotReady` when there is none yet."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        looked_again = False  # a build of an older version just ended: read the version anew
        while True:
            entry = self._entries.get(store)
            if (
                entry is not None
                and not looked_again
                and time.monotonic() - entry.checked < self.recheck_seconds
            ):
                return entry.graph, True
            version = await store_version(store)
            if entry is not None and entry.graph.version == version:
                entry.checked = time.monotonic()
                return entry.graph, True
            build = self._building.get(store) or self._start(store, version)
            wait = seconds if entry is None or rebuild_seconds is None else rebuild_seconds
            left = None if wait is None else max(started + wait - loop.time(), 0.0)
            # Not cancelled when this caller stops waiting or is cancelled: others wait for it.
            done, _ = await asyncio.wait({build.task}, timeout=left)
            if not done:
                if entry is not None:
                    return entry.graph, False
                raise VocabularyNotReady(time.monotonic() - build.started)
            if build.task.cancelled() or build.task.exception() is not None:
                if entry is not None and wait is not None:
                    return entry.graph, False  # logged by `_retrieved`
                build.task.result()  # raises the build's error
            looked_again = build.version != version

    def _start(self, store: GraphStore, version: tuple[object, ...]) -> _Build:
        task = asyncio.ensure_future(self._build(store, version))
        task.add_done_callback(_retrieved)
        build = self._building[store] = _Build(version, task, time.monotonic())
        return build

    async def _build(self, store: GraphStore, version: tuple[object, ...]) -> GraphVocabulary:
        read_at = time.monotonic()  # when `version` was read: what the vocabulary is as of
        try:
            # Every label read, then the vocabulary made of them: no full collection walks them.
            with young_only():
                skills, occupations = await read_all(store)
                # CPU work, on the threads for index builds, not the requests' own (never
                # refused: the requests that need it wait for it).
                graph = await INDEX_BUILDS.run(partial(_built, skills, occupations, version))
            self.builds += 1
            self._entries[store] = _Entry(graph, read_at)
            return graph
        finally:
            # Only its own record: a build cancelled by `stop_building` may end after another
            # began.
            mine = self._building.get(store)
            if mine is not None and mine.task is asyncio.current_task():
                del self._building[store]

    def built(self, store: GraphStore) -> bool:
        """Whether a vocabulary of the store (of some version) is there to answer from."""
        return store in self._entries

    def building(self, store: GraphStore) -> bool:
        """Whether a build of the store's vocabulary is in progress."""
        return store in self._building

    def stop_building(self, store: GraphStore) -> None:
        """Cancel the store's build in progress (a server shutting down): its reading stops;
        a step already in a worker thread runs to its end there, unused."""
        build = self._building.pop(store, None)  # cancelled before it ran, it would stay
        if build is not None:
            build.task.cancel()

    def forget(self, store: GraphStore) -> None:
        """Drop the store's vocabulary: the next request rebuilds it."""
        self._entries.pop(store, None)


def _retrieved(task: asyncio.Task[GraphVocabulary]) -> None:
    # Every caller may have given up on a failed build, or answered from the previous
    # vocabulary: say it here, once.
    if not task.cancelled() and (error := task.exception()) is not None:
        log.warning("building the matching vocabulary failed: %s", error, exc_info=error)


VOCABULARIES = Vocabularies()
