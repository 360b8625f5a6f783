"""Which part of the graph an export holds, and streaming exactly that part out of a store.

A selection is the whole graph, or the neighbourhood of seed nodes to a depth; then filters.
Two kinds of filter:

* *Dropping* filters (`exclude_stale`, `changed_since`) drop the credentials they fail and
  the edges at them; everything else stays.
* *Focusing* filters (`types`, `issuers`, `skills`, `occupation_prefix`) keep the credentials
  that pass all of them (a credential passes `issuers` when issued by one of them, `skills`
  when it teaches or assesses one of them, `occupation_prefix` when it prepares for an
  occupation whose code starts with it), plus the nodes those credentials link to (their
  issuers, skills, occupations, related credentials that pass too); occupations outside the
  prefix are left out. Edges are kept when both ends are.

Nothing is held in memory but ids: a focused selection streams the store three times (find
the credentials, find their neighbours, write), an unfocused one once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from credgraph.errors import InvalidQuery
from credgraph.model.ids import (
    is_soc_code,
    key_spellings,
    occupation_id,
    onet_page_code,
)
from credgraph.model.values import CredentialType, EdgeType, NodeKind
from credgraph.model.views import GraphEdge, GraphNode
from credgraph.store.ports import GraphItem, GraphReader

MAX_DEPTH = 6
MAX_SEEDS = 500
PACE = 1000  # items read between two turns the event loop gets during a pass
_CREDENTIAL_LINKS = frozenset(
    {EdgeType.ISSUED_BY, EdgeType.TEACHES, EdgeType.ASSESSES, EdgeType.PREPARES_FOR}
)


@dataclass(frozen=True, slots=True)
class Selection:
    seeds: tuple[str, ...] = ()  # ids, CTIDs, URLs, URIs or O*NET-SOC codes
    depth: int = 1
    types: tuple[CredentialType, ...] = ()
    issuers: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    occupation_prefix: str | None = None
    changed_since: datetime | None = None
    exclude_stale: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.depth, bool) or not isinstance(self.depth, int):
            raise InvalidQuery(f"depth must be a whole number, got {self.depth!r}")
        if not 0 <= self.depth <= MAX_DEPTH:
            raise InvalidQuery(f"depth must be between 0 and {MAX_DEPTH}, got {self.depth}")
        if len(self.seeds) > MAX_SEEDS:
            raise InvalidQuery(f"at most {MAX_SEEDS} seeds, got {len(self.seeds)}")
        if self.changed_since is not None and self.changed_since.tzinfo is None:
            object.__setattr__(self, "changed_since", self.changed_since.replace(tzinfo=UTC))

    @property
    def focused(self) -> bool:
        return bool(self.types or self.issuers or self.skills or self.occupation_prefix)

    @property
    def filtered(self) -> bool:
        return self.focused or self.exclude_stale or self.changed_since is not None

    def describe(self) -> dict[str, Any]:
        """The selection as the manifest records it (what to pass to reproduce it)."""
        return {
            "scope": "seeds" if self.seeds else "whole graph",
            "seeds": list(self.seeds),
            "depth": self.depth if self.seeds else None,
            "types": [t.value for t in self.types],
            "issuers": list(self.issuers),
            "skills": list(self.skills),
            "occupation_prefix": self.occupation_prefix,
            "changed_since": self.changed_since.isoformat() if self.changed_since else None,
            "exclude_stale": self.exclude_stale,
        }


def parse_types(values: Sequence[str]) -> tuple[CredentialType, ...]:
    """Credential types as given on a command line or in a URL, any case."""
    found = []
    for value in values:
        try:
            found.append(CredentialType(value.strip().upper()))
        except ValueError:
            names = ", ".join(t.value for t in CredentialType)
            raise InvalidQuery(f"unknown credential type {value!r} (one of {names})") from None
    return tuple(dict.fromkeys(found))


def parse_since(value: str) -> datetime:
    """An ISO 8601 date or date-time (UTC when no offset is given)."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidQuery(
            f"changed-since {value!r} is not an ISO 8601 date such as 2026-01-31"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class Resolved:
    """The graph ids of the seeds, and the seeds that name nothing."""

    ids: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def _forms(key: str) -> list[str]:
    """Ids a key may stand for: as given, a CTID in lower case, a normalised URI, an
    O*NET-SOC occupation for a SOC code or an O*NET OnLine occupation page."""
    text = key.strip()
    forms = key_spellings(text)
    code = text if is_soc_code(text) else onet_page_code(text)
    if code is not None:
        forms.append(occupation_id(uri=None, framework=None, code=code, label=None))
    return list(dict.fromkeys(f for f in forms if f))


async def resolve_seeds(store: GraphReader, seeds: Sequence[str]) -> Resolved:
    """One store call per kind for all the seeds, not per seed."""
    forms = {seed: _forms(seed) for seed in seeds}
    every = list(dict.fromkeys(f for fs in forms.values() for f in fs))
    credentials = await store.resolve_credential_ids(every)
    others = {n.id for n in await store.get_issuers(every)}
    others |= {n.id for n in await store.get_skills(every)}
    others |= {n.id for n in await store.get_occupations(every)}
    return _matched(forms, credentials, {f: f for f in others})  # a credential first


def _matched(forms: dict[str, list[str]], *tiers: dict[str, str]) -> Resolved:
    """Each value as the node its first spelling names in the first tier that has one (id
    by spelling), in order, or unknown."""
    resolved = Resolved()
    for value, spellings in forms.items():
        ids = [tier[f] for tier in tiers for f in spellings if f in tier]
        (resolved.ids if ids else resolved.unknown).append(ids[0] if ids else value)
    resolved.ids = list(dict.fromkeys(resolved.ids))
    return resolved


async def resolve_filters(store: GraphReader, selection: Selection) -> tuple[Selection, Resolved]:
    """The selection with its issuer and skill filters as graph ids, read as seeds are (a
    URI in another case or with a trailing slash, a CTID...), and the filter values naming
    no node. Those stay in the filter: a filter that names nothing keeps nothing, it must
    not fall away and keep everything."""
    given = [*selection.issuers, *selection.skills]
    if not given:
        return selection, Resolved()
    issuers = await _resolve_as(store.get_issuers, selection.issuers)
    skills = await _resolve_as(store.get_skills, selection.skills)
    focused = replace(
        selection,
        issuers=tuple(issuers.ids + issuers.unknown),
        skills=tuple(skills.ids + skills.unknown),
    )
    return focused, Resolved(issuers.ids + skills.ids, issuers.unknown + skills.unknown)


async def _resolve_as(
    read: Callable[[list[str]], Awaitable[Sequence[Any]]], values: Sequence[str]
) -> Resolved:
    """Filter values as nodes of the one kind `read` reads (issuers, or skills), in the
    spellings a seed may take: a value that is a credential's URL (a site's root, often) is
    no issuer, and must not resolve to that credential and keep nothing, unreported."""
    if not values:
        return Resolved()
    forms = {value: _forms(value) for value in values}
    nodes = await read(list(dict.fromkeys(f for fs in forms.values() for f in fs)))
    return _matched(forms, {n.id: n.id for n in nodes})


def _stream(
    store: GraphReader, seeds: list[str] | None, depth: int
) -> AsyncGenerator[GraphItem, None]:
    return _paced(store.neighbourhood(seeds, depth) if seeds is not None else store.iter_graph())


async def _paced(items: AsyncIterator[GraphItem]) -> AsyncGenerator[GraphItem, None]:
    """The store's stream, with a turn for the event loop every `PACE` items: a pass that
    keeps little of what it reads (finding a focused selection's credentials) must not hold
    the loop for the whole graph when the store hands items over without waiting. Closed, it
    closes the store's stream, so a cursor or session goes back at once."""
    try:
        count = 0
        async for item in items:
            yield item
            count += 1
            if count == PACE:
                count = 0
                await asyncio.sleep(0)
    finally:
        close = getattr(items, "aclose", None)
        if close is not None:
            await close()


def _changed_after(node: GraphNode, since: datetime) -> bool:
    value = node.properties.get("updated_at")
    if not isinstance(value, str):
        return False
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return False
    return (when if when.tzinfo else when.replace(tzinfo=UTC)) >= since


class _Plan:
    """The ids a selection keeps (focused) or drops (unfocused)."""

    def __init__(self, selection: Selection) -> None:
        self.selection = selection
        self.dropped: set[str] = set()  # credentials failing a filter
        self.prefix_occupations: set[str] = set()
        self.other_occupations: set[str] = set()
        self.kept: set[str] = set()

    def passes_node_filters(self, node: GraphNode) -> bool:
        s = self.selection
        p = node.properties
        if s.exclude_stale and p.get("stale") is True:
            return False
        if s.changed_since is not None and not _changed_after(node, s.changed_since):
            return False
        return not (s.types and p.get("type") not in {t.value for t in s.types})


async def _focus(store: GraphReader, selection: Selection, seeds: list[str] | None) -> _Plan:
    """Passes one and two over the stream: the credentials that pass, then their neighbours."""
    plan = _Plan(selection)
    candidates: dict[str, int] = {}  # credential id -> conditions met (bits)
    credentials: set[str] = set()
    need = 0
    issuers, skills = set(selection.issuers), set(selection.skills)
    if issuers:
        need |= 1
    if skills:
        need |= 2
    if selection.occupation_prefix:
        need |= 4
    prefix = selection.occupation_prefix or ""
    async with contextlib.aclosing(_stream(store, seeds, selection.depth)) as stream:
        async for item in stream:
            if isinstance(item, GraphNode):
                if item.kind is NodeKind.CREDENTIAL:
                    credentials.add(item.id)
                    if plan.passes_node_filters(item):
                        candidates[item.id] = 0
                elif item.kind is NodeKind.OCCUPATION:
                    code = item.properties.get("code")
                    is_in = bool(prefix) and isinstance(code, str) and code.startswith(prefix)
                    (plan.prefix_occupations if is_in else plan.other_occupations).add(item.id)
            elif item.type in _CREDENTIAL_LINKS and item.source in candidates:
                if item.type is EdgeType.ISSUED_BY and item.target in issuers:
                    candidates[item.source] |= 1
                elif item.type in (EdgeType.TEACHES, EdgeType.ASSESSES) and item.target in skills:
                    candidates[item.source] |= 2
                elif item.type is EdgeType.PREPARES_FOR and item.target in plan.prefix_occupations:
                    candidates[item.source] |= 4
    chosen = {c for c, met in candidates.items() if met & need == need}
    del candidates
    kept = set(chosen)
    async with contextlib.aclosing(_stream(store, seeds, selection.depth)) as stream:
        async for item in stream:
            if not isinstance(item, GraphEdge):
                continue
            for near, far in ((item.source, item.target), (item.target, item.source)):
                # related credentials only when they pass themselves; occupations in the prefix
                if near not in chosen or far in credentials:
                    continue
                if prefix and far in plan.other_occupations:
                    continue
                kept.add(far)
    plan.kept = kept
    return plan


async def _unfocused(
    store: GraphReader, selection: Selection, seeds: list[str] | None
) -> AsyncGenerator[GraphItem, None]:
    plan = _Plan(selection)
    async with contextlib.aclosing(_stream(store, seeds, selection.depth)) as stream:
        async for item in stream:
            if isinstance(item, GraphNode):
                if item.kind is NodeKind.CREDENTIAL and not plan.passes_node_filters(item):
                    plan.dropped.add(item.id)
                    continue
                yield item
            elif item.source not in plan.dropped and item.target not in plan.dropped:
                yield item


async def select(
    store: GraphReader, selection: Selection, resolved: Resolved | None = None
) -> AsyncIterator[GraphItem]:
    """Stream the selected nodes and edges (each node before the edges at it)."""
    seeds: list[str] | None = None
    if selection.seeds:
        resolved = resolved or await resolve_seeds(store, selection.seeds)
        if not resolved.ids:
            return
        seeds = resolved.ids
    if not selection.focused:
        async with contextlib.aclosing(_unfocused(store, selection, seeds)) as unfocused:
            async for item in unfocused:
                yield item
        return
    plan = await _focus(store, selection, seeds)
    kept = plan.kept
    async with contextlib.aclosing(_stream(store, seeds, selection.depth)) as stream:
        async for item in stream:
            if isinstance(item, GraphNode):
                if item.id in kept:
                    yield item
            elif item.source in kept and item.target in kept:
                yield item
