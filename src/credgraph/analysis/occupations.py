"""Occupations that stand for one another, and the credentials that state them.

From an occupation, walked in this order (each found once, the first way wins):

* the occupation itself (`SAME`, confidence 1);
* what crosswalks state it equivalent to (`CROSSWALK`, 1): ISCO-08 groups, O*NET-SOC,
  ESCO occupations, and one step further through an ISCO-08 group (0.9), so an ESCO
  occupation reaches O*NET-SOC through the ISCO↔SOC crosswalk;
* the O*NET-SOC hierarchy (`SOC_GROUP`, 0.9): the detailed occupations of the same SOC
  occupation (15-2051.00 and 15-2051.01 both belong to 15-2051);
* an ESCO occupation's ISCO-08 unit group (`ISCO_GROUP`, 0.8): the group's node (2511 for
  2511.4) and what crosswalks state the group equivalent to.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial

from credgraph.model.records import Occupation
from credgraph.model.views import CredentialView, Projection
from credgraph.store.ports import GraphReader
from credgraph.store.query import CredentialFilter
from credgraph.together import both, in_order

SAME = "same"
CROSSWALK = "crosswalk"
SOC_GROUP = "same SOC occupation"
ISCO_GROUP = "same ISCO-08 unit group"
MAX_RELATED = 25
MAX_PREPARING = 50  # credentials read per related occupation
_FLAT = Projection(total_count=False)  # ids, transparency and cost are all it needs
PARALLEL_READS = 8  # a request's reads of credentials stating occupations, at once
_SOC = re.compile(r"^(\d{2}-\d{4})(\.\d{2})?$")
_ESCO_CODE = re.compile(r"^(\d{4})\.\d+")


OccupationsOf = Callable[[Sequence[str]], Awaitable[Sequence[Occupation]]]


@dataclass(frozen=True, slots=True)
class RelatedOccupation:
    occupation_id: str
    relation: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Preparing:
    """A credential that states an occupation related to the one asked for."""

    credential_id: str
    occupation: RelatedOccupation
    transparency: float
    cost: float | None


def soc_group(code: str | None) -> str | None:
    """The SOC occupation (six digits) of an O*NET-SOC code: "15-2051" for "15-2051.01"."""
    found = _SOC.match((code or "").strip())
    return found.group(1) if found else None


def isco_group(occupation: Occupation) -> str | None:
    """The ISCO-08 unit group code of an ESCO occupation ("2511" for "2511.4")."""
    found = _ESCO_CODE.match((occupation.code or "").strip())
    return (
        found.group(1)
        if found and (occupation.framework or "").upper().startswith("ESCO")
        else None
    )


async def related_occupations(
    store: GraphReader, occupation: Occupation
) -> list[RelatedOccupation]:
    """The occupations that stand for `occupation`, itself first, at most `MAX_RELATED`."""
    found: dict[str, RelatedOccupation] = {}

    def add(ids: Sequence[str], relation: str, confidence: float) -> None:
        for i in ids:
            if i not in found and len(found) < MAX_RELATED:
                found[i] = RelatedOccupation(i, relation, confidence)

    group = isco_group(occupation)
    soc = soc_group(occupation.code)
    # What needs only the occupation, read at once; the groups' equivalents after.
    equivalents, (in_group, in_soc) = await both(
        store.equivalents_many([occupation.id]), _coded_pair(store, group, soc)
    )
    stated = equivalents[occupation.id]
    add([occupation.id], SAME, 1.0)
    add(stated, CROSSWALK, 1.0)
    groups = [i for i in stated if i.startswith("isco:")]
    groups += [o.id for o in in_group if o.code == group]
    if groups:
        further = await store.equivalents_many(groups)
        add([i for g in groups for i in further[g]], CROSSWALK, 0.9)
    add([o.id for o in in_soc if soc_group(o.code) == soc], SOC_GROUP, 0.9)
    add(groups, ISCO_GROUP, 0.8)
    return list(found.values())


async def _coded_pair(
    store: GraphReader, first: str | None, second: str | None
) -> tuple[Sequence[Occupation], Sequence[Occupation]]:
    # The reads made in `in_order`'s tasks: cancelled before they start, none is left made
    # and never awaited (as coroutines made here and handed on would be).
    one, other = await in_order([partial(_coded, store, first), partial(_coded, store, second)])
    return one, other


async def _coded(store: GraphReader, prefix: str | None) -> Sequence[Occupation]:
    """The first `MAX_RELATED` occupations whose code begins with `prefix` (none without)."""
    if prefix is None:
        return ()
    return (await store.list_occupations(code_prefix=prefix, first=MAX_RELATED)).items


async def credentials_preparing(
    store: GraphReader,
    related: Sequence[RelatedOccupation],
    reads: asyncio.Semaphore | None = None,
) -> list[Preparing]:
    """Credentials that state one of `related`, each once under the first occupation that
    brings it (`related` is best first), fresh ones only. The occupations' reads run
    `PARALLEL_READS` at a time, or as many as `reads` (shared by a request's reads) lets."""
    calls = [partial(_stating, store, o) for o in related]
    return _first_bringing(related, await in_order(calls, reads or PARALLEL_READS))


async def preparing_for(
    store: GraphReader,
    occupation_id: str,
    occupations_of: OccupationsOf | None = None,
    reads: asyncio.Semaphore | None = None,
) -> list[Preparing]:
    """`credentials_preparing` of the `related_occupations` of the occupation stored as
    `occupation_id` (none when none is), a step shorter: the occupation's own credentials
    are read while what stands for it is found. `occupations_of` reads the occupation (by
    default `store.get_occupations`); `reads` bounds the credential reads at once, shared by
    the calls of one request (by default `PARALLEL_READS` of this call's own)."""
    gate = reads or asyncio.Semaphore(PARALLEL_READS)
    own = RelatedOccupation(occupation_id, SAME, 1.0)  # what `related_occupations` puts first

    async def own_page() -> Sequence[CredentialView]:
        async with gate:
            return await _stating(store, own)

    async def related() -> list[RelatedOccupation] | None:
        found = await (occupations_of or store.get_occupations)([occupation_id])
        return await related_occupations(store, found[0]) if found else None

    own_views, standing = await both(own_page(), related())
    if standing is None:
        return []
    rest = standing[1:]
    pages = await in_order([partial(_stating, store, o) for o in rest], gate)
    return _first_bringing([own, *rest], [own_views, *pages])


async def _stating(store: GraphReader, occupation: RelatedOccupation) -> Sequence[CredentialView]:
    page = await store.list_credentials(
        CredentialFilter(occupations=(occupation.occupation_id,), exclude_stale=True),
        first=MAX_PREPARING,
        projection=_FLAT,
    )
    return page.items


def _first_bringing(
    related: Sequence[RelatedOccupation], pages: Sequence[Sequence[CredentialView]]
) -> list[Preparing]:
    found: dict[str, Preparing] = {}
    for occupation, views in zip(related, pages, strict=True):
        for view in views:
            cost = view.credential.cost.amount if view.credential.cost else None
            found.setdefault(view.id, Preparing(view.id, occupation, view.transparency.score, cost))
    return list(found.values())
