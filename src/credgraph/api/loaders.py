"""Per-request DataLoaders: every nested field asks a loader, and each loader asks the store
once per tick of the resolver tree, for all the keys asked in that tick (no N+1).

Credentials are named by id, CTID or URL; most callers send our ids, so `credentials_by_key`
asks the store for the keys as ids first and resolves only the keys that were not (one store
round trip instead of two for a lookup by id, which on a networked store is most of its cost).

Loaders cache for one request only (a new set per request, built by `make_context`), so no
answer outlives the request that asked for it. Pages and lookups prime them with what they
already hold: a credential page primes the credentials, issuers, skills and occupations it
carries, and a link to a credential on the same page costs nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime
from functools import cached_property
from typing import Protocol, TypeVar

from strawberry.dataloader import DataLoader

from credgraph.analysis.equivalents import MIN_CONFIDENCE
from credgraph.model.pathway import PublishedPathway
from credgraph.model.records import Issuer, Occupation, Skill
from credgraph.model.stacking import CredentialLinks
from credgraph.model.values import NodeKind
from credgraph.model.views import CredentialChange, CredentialView, Projection, RequiredSkill
from credgraph.store.equivalence import RelatedConcept
from credgraph.store.ports import GraphReader

V = TypeVar("V")


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


N = TypeVar("N", bound=_HasId)


class PrimedLater(DataLoader[str, V]):
    """A DataLoader primed from credential views only when it is first asked for a key (the
    views themselves, their ids, or the nodes they carry).

    Every credential a request loads carries its issuer, skills and occupations, and most
    queries never look one of those up by id (a lookup with its skills reads them from the
    view): priming each of them, a future per node, cost more than the lookups it saved.
    The request's views are kept in one list (`Loaders.views`); each loader primes from the
    ones it has not seen yet at its next `load`. Priming never replaces a key already asked
    for, so the order changes nothing.
    """

    def __init__(
        self,
        load_fn: Callable[[list[str]], Awaitable[Sequence[V]]],
        nodes_of: Callable[[CredentialView], Iterable[tuple[str, V]]],
        views: list[CredentialView],
    ) -> None:
        super().__init__(load_fn)
        self._nodes_of = nodes_of
        self._views = views
        self._seen = 0

    def load(self, key: str) -> Awaitable[V]:
        if self._seen < len(self._views):
            fresh = self._views[self._seen :]
            self._seen = len(self._views)
            self.prime_many(dict(pair for v in fresh for pair in self._nodes_of(v)))
        return super().load(key)


def _by_id(
    fetch: Callable[[list[str]], Awaitable[Sequence[N]]],
    nodes_of: Callable[[CredentialView], Iterable[tuple[str, N]]],
    views: list[CredentialView],
) -> PrimedLater[N | None]:
    """A loader for records fetched in bulk by id; unknown ids load as None."""

    async def load(ids: list[str]) -> list[N | None]:
        found = {record.id: record for record in await fetch(ids)}
        return [found.get(i) for i in ids]

    return PrimedLater(load, nodes_of, views)


def _issuers_of(view: CredentialView) -> Iterable[tuple[str, Issuer]]:
    issuers = ((view.issuer,) if view.issuer else ()) + view.accredited_by
    return ((i.id, i) for i in issuers)


def _skills_of(view: CredentialView) -> Iterable[tuple[str, Skill]]:
    return ((s.skill.id, s.skill) for s in view.skills)


def _occupations_of(view: CredentialView) -> Iterable[tuple[str, Occupation]]:
    return ((o.occupation.id, o.occupation) for o in view.occupations)


def _itself(view: CredentialView) -> Iterable[tuple[str, CredentialView]]:
    return ((view.id, view),)


def _own_id(view: CredentialView) -> Iterable[tuple[str, str]]:
    return ((view.id, view.id),)


def _in_bulk(
    fetch: Callable[[list[str]], Awaitable[dict[str, list[V]]]],
) -> DataLoader[str, list[V]]:
    """A loader over a bulk store method answering a list per key: one store call per tick;
    a key the store left out loads as []."""

    async def load(keys: list[str]) -> list[list[V]]:
        found = await fetch(keys)
        return [found.get(k, []) for k in keys]

    return DataLoader(load)


class Loaders:
    """The loaders of one request; each costs one store call per tick, however many keys.

    Each loader is made when a resolver first asks for it: most operations use a few of the
    nine, and making all of them cost a fifth of a trivial request's time.
    """

    def __init__(self, store: GraphReader) -> None:
        self.store = store
        self.views: list[CredentialView] = []  # loaded this request: issuers etc. prime from it
        # What the request's document reads of credentials (None: whole views); set before
        # it executes (`credgraph.api.projection.Projections`).
        self.projection: Projection | None = None

    def prime_views(self, views: Iterable[CredentialView]) -> None:
        """Remember credentials already loaded, with the nodes they carry: every loader
        primes from them when it is next asked for a key."""
        self.views.extend(views)

    @cached_property
    def credentials(self) -> PrimedLater[CredentialView | None]:
        return PrimedLater(self._load_views, _itself, self.views)

    @cached_property
    def credential_ids(self) -> PrimedLater[str | None]:
        """Keys to credential ids; a loaded credential's id resolves to itself."""
        return PrimedLater(self._resolve, _own_id, self.views)

    @cached_property
    def credentials_by_key(self) -> DataLoader[str, CredentialView | None]:
        return DataLoader(self._views_by_key)

    @cached_property
    def issuers(self) -> PrimedLater[Issuer | None]:
        return _by_id(self.store.get_issuers, _issuers_of, self.views)

    @cached_property
    def skills(self) -> PrimedLater[Skill | None]:
        return _by_id(self.store.get_skills, _skills_of, self.views)

    @cached_property
    def occupations(self) -> PrimedLater[Occupation | None]:
        return _by_id(self.store.get_occupations, _occupations_of, self.views)

    @cached_property
    def required_skills(self) -> DataLoader[str, list[RequiredSkill]]:
        return _in_bulk(self.store.occupation_required_skills_many)

    @cached_property
    def history(self) -> DataLoader[str, list[CredentialChange]]:
        return _in_bulk(self.store.credential_history_many)

    @cached_property
    def related(self) -> DataLoader[str, list[RelatedConcept]]:
        """Stated and computed equivalents, with method and score (`Skill.related`)."""
        return _in_bulk(self.store.related_many)

    @cached_property
    def demand(self) -> DemandLoaders:
        """Job-posting demand of skills, occupations and credentials (`Demand`)."""
        return DemandLoaders(self.store)

    @cached_property
    def stacking(self) -> DataLoader[str, CredentialLinks]:
        """Preparation and advanced-standing links between stored credentials, both ways."""

        async def load(ids: list[str]) -> list[CredentialLinks]:
            found = await self.store.credential_links(ids)
            return [found.get(i, CredentialLinks()) for i in ids]

        return DataLoader(load)

    @cached_property
    def published_pathways(self) -> DataLoader[str, list[PublishedPathway]]:
        return _in_bulk(self.store.published_pathways)

    @cached_property
    def equivalents(self) -> DataLoader[str, list[str]]:
        """SAME_AS either way, whoever stated it."""
        return _in_bulk(self.store.equivalents_many)

    async def _load_views(self, ids: list[str]) -> list[CredentialView | None]:
        views = await self.store.get_credentials(ids, projection=self.projection)
        self.prime_views(views)
        found = {v.id: v for v in views}
        return [found.get(i) for i in ids]

    async def _resolve(self, keys: list[str]) -> list[str | None]:
        found = await self.store.resolve_credential_ids(keys)
        return [found.get(k) for k in keys]

    async def _views_by_key(self, keys: list[str]) -> list[CredentialView | None]:
        # The views loaded here join `self.views`: `credentials` and `credential_ids`
        # prime from them when first asked, as the node loaders do.
        views = {v.id: v for v in await self._load_views(keys) if v is not None}
        others = [k for k in keys if k not in views]
        if others:  # CTIDs in another case, URLs: resolved, then loaded as ids
            ids = dict(zip(others, await self.credential_ids.load_many(others), strict=True))
            known = [i for i in ids.values() if i is not None]
            views.update((v.id, v) for v in await load_present(self.credentials, known))
            views.update((k, views[i]) for k, i in ids.items() if i in views)
        return [views.get(k) for k in keys]


class DemandLoaders:
    """One loader per kind: active postings asking for each id, judged at one instant for
    the whole request, with the count of active postings (one store call per kind per tick).
    Computed close matches count as equivalent skills at the threshold comparisons use."""

    def __init__(self, store: GraphReader) -> None:
        self.store = store
        self.at = datetime.now(UTC)
        self.by_kind: dict[NodeKind, DataLoader[str, tuple[int, int]]] = {}

    def of(self, kind: NodeKind) -> DataLoader[str, tuple[int, int]]:
        """A loader answering (active postings, postings asking for the id)."""
        if kind not in self.by_kind:

            async def load(ids: list[str]) -> list[tuple[int, int]]:
                found = await self.store.posting_demand(
                    kind, ids, self.at, min_confidence=MIN_CONFIDENCE
                )
                return [(found.active, found.by_id.get(i, 0)) for i in ids]

            self.by_kind[kind] = DataLoader(load)
        return self.by_kind[kind]


def make_loaders(store: GraphReader) -> Loaders:
    """Fresh loaders over `store` for one request."""
    return Loaders(store)


async def load_present(loader: DataLoader[str, V | None], ids: Iterable[str]) -> list[V]:
    """The records for `ids` in order, leaving out unknown ones (dangling links)."""
    return [v for v in await _load_all(loader, list(dict.fromkeys(ids))) if v is not None]


async def first_found(loader: DataLoader[str, V | None], keys: Sequence[str]) -> V | None:
    """The record for the first of `keys` (ways of naming one node) that is known."""
    return next((v for v in await _load_all(loader, keys) if v is not None), None)


async def _load_all(loader: DataLoader[str, V], keys: Sequence[str]) -> list[V]:
    """`loader.load_many(keys)`, without gathering the keys already answered: a comparison
    names some thirty skills the credentials' views primed, and a gather over thirty finished
    futures still costs a callback and a loop turn each."""
    loads = [loader.load(k) for k in keys]
    futures = [f for f in loads if isinstance(f, asyncio.Future)]
    if len(futures) < len(loads):
        return list(await asyncio.gather(*loads))
    waiting = [f for f in futures if not f.done()]
    if waiting:
        await asyncio.gather(*waiting)
    return [f.result() for f in futures]
