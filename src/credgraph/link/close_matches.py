"""Close matches between the frameworks a store holds, computed and stored as scored edges.

    await update_close_matches(store)                    # every skill: after a taxonomy import
    await update_close_matches(store, changed=new_ids)   # only these: a crawl's new nodes

Every stored skill is a concept of a scheme: its framework family (ESCO, O*NET, or the folded
name of any other framework, see `frameworks.framework_family`), or `LOCAL` for an issuer's
`label:` skill. `lexical.LexicalMatcher` compares concepts of different schemes (locals with
frameworks only); each pair it finds at or above its threshold becomes a SAME_AS edge owned
by `computed lexical`, with the score. Official crosswalks stay first: the store never writes
a pair a stated edge joins (`GraphStore.replace_close_matches`).

An incremental run still reads every skill (the weights of words are corpus-wide), but
compares only the changed ones and replaces only the edges touching them; the weights of
untouched pairs may drift a little until the next full run.

The store is read and written here, on the event loop, which only waits; building the
matcher and comparing (seconds to tens of seconds at ESCO size) run in a worker process under
a deadline (`close_match_workers`): past it, `CloseMatchesStopped` and nothing is replaced.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Collection
from dataclasses import dataclass, field

from credgraph.link.close_match_workers import (
    Compute,
    compute_close_matches,
    concepts_of,
    lexical_matches,
    scheme_of,
)
from credgraph.link.lexical import METHOD, THRESHOLD
from credgraph.model.records import Skill
from credgraph.model.views import RejectedRecord
from credgraph.store.base import GraphStore
from credgraph.store.equivalence import CloseMatchEdge
from credgraph.store.query import MAX_PAGE_SIZE

# One computation at a time per store: two runs ending together (an ESCO and an O*NET import
# crawled at once) would otherwise race, and the one that read less could write last.
_RUNNING: weakref.WeakKeyDictionary[GraphStore, asyncio.Lock] = weakref.WeakKeyDictionary()


@dataclass
class CloseMatchReport:
    concepts: int = 0  # skills read
    compared: int = 0  # skills whose matches were computed
    matches: int = 0  # pairs at or above the threshold
    created: int = 0
    updated: int = 0
    deleted: int = 0
    seconds: float = 0.0
    rejected: list[RejectedRecord] = field(default_factory=list)


async def stored_skills(store: GraphStore) -> list[Skill]:
    """Every stored skill, stubs included, page by page."""
    found: list[Skill] = []
    after: str | None = None
    while True:
        page = await store.list_skills(first=MAX_PAGE_SIZE, after=after)
        found.extend(page.items)
        if not page.has_next_page or page.end_cursor is None:
            return found
        after = page.end_cursor


async def update_close_matches(
    store: GraphStore,
    changed: Collection[str] | None = None,
    *,
    threshold: float = THRESHOLD,
    compute: Compute = lexical_matches,
    seconds: float | None = None,
) -> CloseMatchReport:
    """Compute the close matches of the `changed` skills (every skill when None) and replace
    the stored ones touching them (all of them when None). Runs on one store take turns, each
    reading the skills once its turn comes. The computation runs in a worker process:
    `compute` (a module-level function, `lexical_matches` unless a test gives another) under
    `seconds` (CREDGRAPH_CLOSE_MATCH_SECONDS when None); CloseMatchesStopped past it."""
    if changed is not None and not changed:
        return CloseMatchReport()
    lock = _RUNNING.setdefault(store, asyncio.Lock())
    async with lock:
        return await _update(store, changed, threshold, compute, seconds)


async def _update(
    store: GraphStore,
    changed: Collection[str] | None,
    threshold: float,
    compute: Compute,
    seconds: float | None,
) -> CloseMatchReport:
    started = time.perf_counter()
    report = CloseMatchReport()
    skills = await stored_skills(store)
    report.concepts = len(skills)
    computed = await compute_close_matches(
        skills,
        None if changed is None else list(changed),
        threshold,
        compute=compute,
        seconds=seconds,
    )
    wanted = computed.compared
    report.compared = computed.concepts if wanted is None else len(wanted)
    if wanted is not None and not wanted:
        report.seconds = time.perf_counter() - started
        return report
    found = computed.matches
    report.matches = len(found)
    stored = await store.replace_close_matches(
        METHOD, [CloseMatchEdge(m.a, m.b, m.score, m.method) for m in found], wanted
    )
    report.created, report.updated, report.deleted = stored.created, stored.updated, stored.deleted
    report.rejected.extend(stored.rejected)
    report.seconds = time.perf_counter() - started
    return report


__all__ = [
    "CloseMatchReport",
    "concepts_of",  # read here by the benchmarks; the worker's to compute with
    "scheme_of",
    "stored_skills",
    "update_close_matches",
]
