"""The equivalence roles: SAME_AS edges between skills or occupations, stated by crosswalks or
computed as close matches, read by comparisons and matching.

Crosswalk imports and `credgraph.link` write them (`EquivalenceWriter`); the API, analysis and
matching read them (`EquivalenceReader`).
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import Protocol

from credgraph.model.records import Equivalence
from credgraph.model.values import NodeKind
from credgraph.model.views import UpsertReport
from credgraph.store.equivalence import CloseMatchEdge, RelatedConcept


class EquivalenceReader(Protocol):
    """Equivalent and related skills or occupations, and occupations by code."""

    @abc.abstractmethod
    async def equivalents_many(self, ids: Sequence[str]) -> dict[str, list[str]]:
        """For each id, the ids of the skills or occupations SAME_AS it, in either direction
        and whoever stated it (computed close matches are not statements: see
        `related_many`), sorted; every asked id is a key."""

    @abc.abstractmethod
    async def equivalence_pairs(self) -> list[tuple[NodeKind, str, str]]:
        """Every stated SAME_AS edge between stored skills or occupations (not computed close
        matches): (kind, source, target)."""

    @abc.abstractmethod
    async def related_many(self, ids: Sequence[str]) -> dict[str, list[RelatedConcept]]:
        """For each id, every skill or occupation a SAME_AS edge joins it to, either way:
        stated ones (method "crosswalk" or "stated", score 1) first, then computed close
        matches by score; every asked id is a key."""

    @abc.abstractmethod
    async def occupation_ids_by_code(
        self, framework: str, codes: Sequence[str]
    ) -> dict[str, list[str]]:
        """The ids of the occupations of `framework` with each code (codes compared as
        written); codes no occupation has are left out."""


class EquivalenceWriter(Protocol):
    """Replaces what one owner (a crosswalk document, a matching method) states, whole."""

    @abc.abstractmethod
    async def replace_equivalences(self, owner: str, pairs: Sequence[Equivalence]) -> UpsertReport:
        """Make the SAME_AS edges `owner` (a crosswalk document) states exactly `pairs`, in
        one transaction: missing ones created (`created`), ones it no longer states deleted
        (`deleted`), the rest `unchanged`. Edges other owners state are never touched; a pair
        an edge already joins (say, a skill's own `same_as`) adds nothing. A pair with an end
        that is not a stored node of its kind, or that still carries only a code, is
        rejected and named."""

    @abc.abstractmethod
    async def replace_close_matches(
        self, method: str, matches: Sequence[CloseMatchEdge], scope: Sequence[str] | None = None
    ) -> UpsertReport:
        """Make the close matches `method` computed exactly `matches`, in one transaction: a
        SAME_AS edge each, owned by `computed <method>`, carrying the method and the score.
        All of the method's edges are replaced when `scope` is None; else only those touching
        an id of `scope` (an incremental run over new or changed skills). A pair a stated edge
        already joins (a crosswalk's, a skill's own `same_as`), in either direction, is left
        to it; a match with an end that is not a stored skill is rejected and named.
        `created`, `updated` (score changed), `unchanged`, `deleted` count edges."""
