"""Credentials like another by their skills, the same nodes or equivalent ones.

A candidate is any credential teaching or assessing one of the credential's skills or an
equivalent of one (`equivalents`). Each of the credential's skills the candidate has counts 1,
each it has only through an equivalent counts that equivalence's confidence, each of the
candidate's skills standing for one of the credential's at most (`equivalents.one_to_one`, the
matching a comparison of the two uses, so the two give the same figure):

    score = m / (|skills| + |candidate's skills| - m),  m = the sum of those counts

which is the Jaccard index when no equivalence is involved. Ties go to the id.
"""

from __future__ import annotations

from dataclasses import dataclass

from credgraph.analysis.equivalents import (
    EQUIVALENT,
    Match,
    counting,
    direct_edges,
    jaccard_of,
    one_to_one,
)
from credgraph.store.ports import GraphReader

MAX_CANDIDATES = 200


@dataclass(frozen=True, slots=True)
class SimilarThrough:
    credential_id: str
    score: float
    shared_skill_ids: tuple[str, ...]  # the credential's skills the other has, sorted
    equivalent: tuple[tuple[str, Match], ...]  # (skill, how the other has it) via equivalents


async def similar_credentials(
    store: GraphReader, credential_id: str, k: int
) -> list[SimilarThrough]:
    """Up to `k` credentials most like `credential_id`, best first."""
    if k <= 0:
        return []
    sets, related = await store.skill_sets_related([credential_id])
    mine = sets.get(credential_id)
    if not mine:
        return []
    equivalents = counting(related)
    if not equivalents.ids() - mine:  # nothing beyond the same nodes: the store's own ranking
        return [
            SimilarThrough(s.credential_id, s.score, s.shared_skill_ids, ())
            for s in await store.similar(credential_id, k)
        ]
    wanted = sorted(mine | equivalents.ids())
    covering = await store.credentials_covering(wanted, limit=MAX_CANDIDATES)
    others = [c.credential_id for c in covering if c.credential_id != credential_id]
    theirs = await store.skill_sets(others)
    joins = direct_edges(mine | equivalents.ids(), equivalents)  # every edge at `mine`
    found = []
    for other in others:
        their = theirs.get(other, frozenset())
        matches = one_to_one(mine, their, joins)  # one to one: the score stays within 0..1
        if not matches:
            continue
        found.append(
            SimilarThrough(
                other,
                jaccard_of(mine, their, matches),
                tuple(sorted(s for s, m in matches.items() if m.kind != EQUIVALENT)),
                tuple((s, m) for s, m in matches.items() if m.kind == EQUIVALENT),
            )
        )
    found.sort(key=lambda s: (-s.score, s.credential_id))
    return found[:k]
