"""The writing role: what a crawl or an import stores in the graph.

Batch semantics, the same on every adapter:
- Invalid records are rejected one by one and named in `UpsertReport.rejected`; the valid
  rest of the batch is written.
- The valid part of a batch commits as one transaction: all of it or none of it.
- A record whose content hash equals the stored one causes no write at all.
- References embedded in a credential (issuer, skills, occupations, accreditors) create
  missing nodes but never overwrite existing ones.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from typing import Protocol

from credgraph.model.pathway import PublishedPathway
from credgraph.model.records import Credential, Issuer, Occupation, Skill, SkillRequirement
from credgraph.model.views import UpsertReport
from credgraph.store.ports.equivalences import EquivalenceWriter
from credgraph.store.ports.postings import PostingWriter


class CatalogueWriter(Protocol):
    """Upserts of issuers, credentials, skills, occupations, requirements and pathways."""

    @abc.abstractmethod
    async def upsert_issuers(self, batch: Iterable[Issuer]) -> UpsertReport: ...

    @abc.abstractmethod
    async def upsert_credentials(self, batch: Iterable[Credential]) -> UpsertReport:
        """Upsert credentials with their links; a changed credential gets a version record."""

    @abc.abstractmethod
    async def upsert_skills(self, batch: Iterable[Skill]) -> UpsertReport: ...

    @abc.abstractmethod
    async def upsert_occupations(self, batch: Iterable[Occupation]) -> UpsertReport: ...

    @abc.abstractmethod
    async def upsert_skill_requirements(self, batch: Iterable[SkillRequirement]) -> UpsertReport:
        """(Occupation)-[:REQUIRES_SKILL {importance}]->(Skill); the occupation must exist.
        Written without an owner (see `replace_skill_requirements`)."""

    @abc.abstractmethod
    async def replace_skill_requirements(
        self, owner: str, occupation_ids: Iterable[str], batch: Iterable[SkillRequirement]
    ) -> UpsertReport:
        """Make the requirements `owner` (a taxonomy source) states of each occupation in
        `occupation_ids` or named by a requirement of `batch` exactly those of `batch`, in
        one transaction: new ones `created`, changed ones `updated` (importance, relation or
        owner), the rest `unchanged`, and the owner's that `batch` no longer states
        `deleted`. Requirements stored without an owner count as the owner's; other owners'
        are left alone, unless `batch` states the same skill, which the owner then takes
        over (an occupation requires a skill once). A requirement of an occupation that is
        not stored is rejected and named."""

    @abc.abstractmethod
    async def upsert_pathways(self, batch: Iterable[PublishedPathway]) -> UpsertReport:
        """Issuers' published pathways: each replaces its own members and steps
        (PUBLISHED_PATHWAY links between the credentials it names, stored or not yet)."""


class GraphWriter(CatalogueWriter, EquivalenceWriter, PostingWriter, Protocol):
    """Every write of the graph (the crawl ledger and leases are roles of their own)."""
