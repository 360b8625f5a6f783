"""The job posting roles: postings written by the posting crawl, read by the API and the
demand counts (see `credgraph.store.jobs` for the shapes).
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from credgraph.model.jobs import JobPosting
from credgraph.model.values import NodeKind
from credgraph.model.views import Page, UpsertReport
from credgraph.store.equivalence import STATED_SCORE
from credgraph.store.jobs import DemandCounts, PostingFilter, PostingView


class PostingReader(Protocol):
    """Postings by id and by page, and the demand they make for skills and credentials."""

    @abc.abstractmethod
    async def get_job_postings(self, ids: Sequence[str]) -> list[PostingView]:
        """Postings in the order asked; unknown ids are left out."""

    @abc.abstractmethod
    async def list_job_postings(
        self,
        filter: PostingFilter | None = None,
        first: int = 20,
        after: str | None = None,
        at: datetime | None = None,
    ) -> Page[PostingView]:
        """A keyset page of postings in title order (normalised title, then id); `active` in
        the filter is judged at `at` (now by default)."""

    @abc.abstractmethod
    async def posting_demand(
        self,
        kind: NodeKind,
        ids: Sequence[str],
        at: datetime,
        *,
        min_confidence: float = STATED_SCORE,
    ) -> DemandCounts:
        """How many postings active at `at` require each skill (or an equivalent one), are
        for each occupation (or an equivalent one), or ask for each credential (by name or
        by skill coverage through equivalents); computed close matches count as equivalent
        at `min_confidence` or above, stated ones always (see store.jobs)."""

    @abc.abstractmethod
    async def credential_ids_by_name(self, names: Sequence[str]) -> dict[str, list[str]]:
        """Credential ids whose normalised name equals each name's (`normalise_label`),
        sorted; names no credential has are left out."""


class PostingWriter(Protocol):
    """Postings upserted with their links."""

    @abc.abstractmethod
    async def upsert_job_postings(self, batch: Iterable[JobPosting]) -> UpsertReport:
        """Postings with their links: employer (an organisation node), required skills and
        occupations (missing nodes created, never overwritten, as for credentials; method and
        confidence on the edge) and the credentials in `asked_ids` that are stored. Invalid
        postings are rejected by name; an unchanged one is not written."""
