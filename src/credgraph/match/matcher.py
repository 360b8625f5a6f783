"""Match what a job asks for to the credentials of a store, best first (`ranking`).

    answer = await match(store, asked, first=10, hours_of=...)

A few batched store reads: the equivalents of the asked skills, the credentials covering
those skills or their equivalents (most covered first, at most `MAX_CANDIDATES`), and, for
each asked occupation (at most `MAX_OCCUPATIONS`), the credentials stating it or one standing
for it. Hours come last, only for the credentials that could be shown: `hours_of` reads them
(the API through its loaders, which it needs for the answer anyway).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial

from credgraph.analysis.equivalents import Equivalents, load_equivalents
from credgraph.analysis.occupations import PARALLEL_READS, OccupationsOf, Preparing, preparing_for
from credgraph.match.asked import Asked
from credgraph.match.ranking import Candidate, Ranked, best, with_hours
from credgraph.model.views import SkillCoverage
from credgraph.request_threads import REQUEST_THREADS
from credgraph.store.base import GraphStore
from credgraph.together import both, in_order

MAX_CANDIDATES = 500
MAX_OCCUPATIONS = 5
MAX_TIED = 200  # credentials tied before hours are known, read to order them

HoursOf = Callable[[Sequence[str]], Awaitable[dict[str, float | None]]]


@dataclass(frozen=True, slots=True)
class JobMatchResult:
    asked: Asked
    matches: tuple[Ranked, ...]
    warnings: tuple[str, ...] = ()  # what the ranking left out (`MAX_CANDIDATES`, ...)


async def store_hours(store: GraphStore, ids: Sequence[str]) -> dict[str, float | None]:
    """Study hours of each credential, read from the store (the CLI's way)."""
    views = await store.get_credentials(list(ids))
    return {v.id: v.credential.duration_hours for v in views}


async def match(
    store: GraphStore,
    asked: Asked,
    first: int,
    hours_of: HoursOf | None = None,
    occupations_of: OccupationsOf | None = None,
) -> JobMatchResult:
    """The `first` credentials that best prepare for what `asked` names. `occupations_of`
    reads the asked occupations (the API through its loaders, which may have them already;
    by default the store)."""
    skill_ids = asked.skill_ids

    async def covering() -> tuple[Equivalents, list[SkillCoverage]]:
        equivalents = await load_equivalents(store, skill_ids)
        wanted = list(dict.fromkeys([*skill_ids, *sorted(equivalents.ids())]))
        found = await store.credentials_covering(wanted, limit=MAX_CANDIDATES) if wanted else []
        return equivalents, found

    # The skills' reads and the occupations' are independent: asked together, a store that
    # answers statements in parallel (Neo4j) answers in the longer of the two, not the sum.
    (equivalents, found), preparing = await both(
        covering(),
        _preparing(store, asked.occupation_ids[:MAX_OCCUPATIONS], occupations_of),
    )
    skill_ids, equivalents = distinct_skills(skill_ids, equivalents)
    if len(skill_ids) < len(asked.skill_ids):
        asked = replace(asked, skill_ids=skill_ids)
    candidates: dict[str, Candidate] = {}
    for c in found:
        candidates[c.credential_id] = Candidate(
            c.credential_id,
            c.covered_skill_ids,
            c.transparency,
            c.cost,
            preparing[c.credential_id].occupation if c.credential_id in preparing else None,
        )
    for p in preparing.values():
        if p.credential_id not in candidates:
            candidates[p.credential_id] = Candidate(
                p.credential_id, frozenset(), p.transparency, p.cost, p.occupation
            )
    # Bounded (MAX_CANDIDATES and the credentials stating an occupation, against at most the
    # reader's 200 skills) but tens of milliseconds: on the threads for requests' CPU work,
    # the event loop waiting. Not refused when they are busy: the request has read its job.
    top = await REQUEST_THREADS.run(
        partial(
            best, skill_ids, list(candidates.values()), equivalents, first, max(first, MAX_TIED)
        )
    )
    if top:
        hours = await (hours_of or (lambda ids: store_hours(store, ids)))(
            [r.credential_id for r in top]
        )
        top = with_hours(top, hours)
    return JobMatchResult(asked, tuple(top[:first]), _left_out(asked, len(found)))


def distinct_skills(
    skill_ids: Sequence[str], equivalents: Equivalents
) -> tuple[list[str], Equivalents]:
    """Each skill the job asks for once, with what counts as covering it. A skill that counts
    as equivalent to one found before it is that skill named again ("SQL" read both as the
    crawled badges' label and as O*NET's SQL): counted twice, one covered skill would count
    as two. It is dropped, and what would have covered it (itself and its equivalents) covers
    the skill it repeats."""
    kept: dict[str, None] = {}  # in the order found
    repeats: dict[str, str] = {}  # a dropped skill -> the kept skill it names again
    for skill_id in skill_ids:
        if skill_id in repeats or skill_id in kept:
            continue
        kept[skill_id] = None
        for related in equivalents(skill_id):
            repeats.setdefault(related.id, skill_id)
    dropped = [s for s in skill_ids if s in repeats and s not in kept]
    if not dropped:
        return list(kept), equivalents
    merged = dict(equivalents.of)
    for repeat in dropped:
        into = repeats[repeat]
        have = {r.id for r in merged.get(into, ())} | {into}
        # after the kept skill's own equivalents: those of the skill it repeats
        merged[into] = (
            *merged.get(into, ()),
            *(r for r in equivalents(repeat) if r.id not in have),
        )
    return list(kept), Equivalents(merged)


def _left_out(asked: Asked, covering: int) -> tuple[str, ...]:
    found = []
    if len(asked.occupation_ids) > MAX_OCCUPATIONS:
        found.append(
            f"credentials preparing for the first {MAX_OCCUPATIONS} of the job's "
            f"{len(asked.occupation_ids)} occupations were considered"
        )
    if covering >= MAX_CANDIDATES:
        found.append(
            f"the {MAX_CANDIDATES} credentials covering the most of the job's skills were "
            "ranked; others covering fewer were not"
        )
    return tuple(found)


async def _preparing(
    store: GraphStore, occupation_ids: Sequence[str], occupations_of: OccupationsOf | None
) -> dict[str, Preparing]:
    """Credentials stating each occupation or one standing for it, the best relation kept
    (on a tie, the first occupation's)."""
    out: dict[str, Preparing] = {}
    reads = asyncio.Semaphore(PARALLEL_READS)  # shared: the bound is the request's
    each = [partial(preparing_for, store, i, occupations_of, reads) for i in occupation_ids]
    for found in await in_order(each):
        for p in found:
            old = out.get(p.credential_id)
            if old is None or p.occupation.confidence > old.occupation.confidence:
                out[p.credential_id] = p
    return out
