"""The store port: what the rest of credgraph may ask of a graph store, in the domain's words.

Adapters (SQLite, Neo4j) own their queries. One contract suite (tests/contract) runs against
every adapter with the same inputs and expects the same answers.

Batch semantics, the same everywhere:
- Invalid records are rejected one by one and named in `UpsertReport.rejected`; the valid
  rest of the batch is written.
- The valid part of a batch commits as one transaction: all of it or none of it.
- A record whose content hash equals the stored one causes no write at all.
- References embedded in a credential (issuer, skills, occupations, accreditors) create
  missing nodes but never overwrite existing ones.
"""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from types import TracebackType
from typing import Self, TypeVar

from credgraph.errors import StoreError
from credgraph.model.comparison import build_comparison
from credgraph.model.crawl import CrawlRun, DocumentState, Source
from credgraph.model.jobs import JobPosting
from credgraph.model.lease import Lease
from credgraph.model.pathway import PublishedPathway
from credgraph.model.records import (
    Credential,
    Equivalence,
    Issuer,
    Occupation,
    Skill,
    SkillRequirement,
)
from credgraph.model.stacking import CredentialLinks, PathwayGoal, Route
from credgraph.model.values import NodeKind
from credgraph.model.views import (
    Comparison,
    CredentialChange,
    CredentialView,
    GraphEdge,
    GraphNode,
    GraphStats,
    Page,
    Projection,
    RequiredSkill,
    SearchHit,
    SimilarCredential,
    SkillCoverage,
    StaleReport,
    UpsertReport,
)
from credgraph.store.check import CheckReport
from credgraph.store.equivalence import CloseMatchEdge, RelatedConcept
from credgraph.store.jobs import DemandCounts, PostingFilter, PostingView
from credgraph.store.names import CredentialName
from credgraph.store.query import CredentialFilter, CredentialSort

R = TypeVar("R")
GraphItem = GraphNode | GraphEdge


class GraphStore(abc.ABC):
    """A graph of issuers, credentials, skills, occupations, sources and crawl runs."""

    url: str

    # -- lifecycle -----------------------------------------------------------------------
    @abc.abstractmethod
    async def open(self) -> None:
        """Connect and create or migrate the schema (idempotent)."""

    @abc.abstractmethod
    async def close(self) -> None: ...

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @abc.abstractmethod
    async def ping(self) -> None:
        """Raise StoreUnavailable unless the database answers."""

    # -- writes --------------------------------------------------------------------------
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
        """(Occupation)-[:REQUIRES_SKILL {importance}]->(Skill); the occupation must exist."""

    @abc.abstractmethod
    async def upsert_sources(self, batch: Iterable[Source]) -> UpsertReport: ...

    @abc.abstractmethod
    async def record_crawl_run(self, run: CrawlRun) -> None:
        """Insert or replace a crawl run (runs are recorded when they start and when they end)."""

    @abc.abstractmethod
    async def mark_missed(
        self, source_id: str, seen_ids: Iterable[str], threshold: int
    ) -> StaleReport:
        """After a full run of a source: its credentials not in `seen_ids` count one more miss
        and become stale at `threshold` misses; seen ones are fresh again. Nothing is deleted."""

    @abc.abstractmethod
    async def save_document_states(self, states: Sequence[DocumentState]) -> None:
        """Insert or replace what the crawl learned about documents (by source and URL)."""

    @abc.abstractmethod
    async def document_states(self, source_id: str) -> dict[str, DocumentState]:
        """The saved state of every document of a source, by URL."""

    # -- reads ---------------------------------------------------------------------------
    @abc.abstractmethod
    async def get_credentials(
        self, ids: Sequence[str], projection: Projection | None = None
    ) -> list[CredentialView]:
        """Credentials with neighbours, in the order asked; unknown ids are left out. Under a
        `projection`, each view carries only what it names (see `Projection`)."""

    @abc.abstractmethod
    async def get_issuers(self, ids: Sequence[str]) -> list[Issuer]: ...

    @abc.abstractmethod
    async def get_skills(self, ids: Sequence[str]) -> list[Skill]: ...

    @abc.abstractmethod
    async def get_occupations(self, ids: Sequence[str]) -> list[Occupation]: ...

    @abc.abstractmethod
    async def resolve_credential_ids(self, keys: Sequence[str]) -> dict[str, str]:
        """Map ids, CTIDs or source URLs to credential ids; unknown keys are absent."""

    @abc.abstractmethod
    async def list_credentials(
        self,
        filter: CredentialFilter | None = None,
        sort: CredentialSort | None = None,
        first: int = 20,
        after: str | None = None,
        projection: Projection | None = None,
    ) -> Page[CredentialView]:
        """A keyset page of credentials; `after` is a cursor from a previous page. Under a
        `projection`, each view carries only what it names (see `Projection`)."""

    @abc.abstractmethod
    async def list_issuers(
        self,
        text: str | None = None,
        country: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Page[Issuer]:
        """A keyset page of issuers in name order (normalised name, then id).

        Every stored issuer is listed, including stub nodes made from a mention in another
        record. `text`, when given, is matched as words (the last one also as a prefix) by the
        store's full-text index, never parsed as query syntax; text without a searchable word
        matches nothing. `country` compares ignoring case and surrounding space. `after` is a
        cursor from a previous page of this listing; `total_count` counts every match."""

    @abc.abstractmethod
    async def list_skills(
        self,
        text: str | None = None,
        framework: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Page[Skill]:
        """A keyset page of skills in name order (normalised name, then id), stubs included.

        `text` and `after` as in `list_issuers`; `framework` compares by framework key,
        ignoring case and punctuation ("onet" finds O*NET skills)."""

    @abc.abstractmethod
    async def list_occupations(
        self,
        text: str | None = None,
        code_prefix: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Page[Occupation]:
        """A keyset page of occupations in name order (normalised name, then id), stubs
        included.

        `text` and `after` as in `list_issuers`; `code_prefix` keeps occupations whose code
        starts with it, case-sensitively ("15-"); an empty prefix keeps every occupation."""

    @abc.abstractmethod
    async def search(
        self, text: str, kinds: Sequence[NodeKind] | None = None, limit: int = 20
    ) -> list[SearchHit]:
        """Full-text search over credentials, issuers, skills and occupations; best first.
        The text is matched as words, never parsed as query syntax. A store may rank a bounded
        number of candidates per kind (SQLite: `CREDGRAPH_SEARCH_CANDIDATES`); below that bound
        every match is ranked."""

    @abc.abstractmethod
    async def skill_sets(self, ids: Sequence[str]) -> dict[str, frozenset[str]]:
        """Skill ids (taught or assessed) of each known credential."""

    async def compare(self, ids: Sequence[str]) -> Comparison:
        return build_comparison(ids, await self.skill_sets(ids))

    async def skill_sets_related(
        self, ids: Sequence[str]
    ) -> tuple[dict[str, frozenset[str]], dict[str, list[RelatedConcept]]]:
        """`skill_sets` of `ids`, and `related_many` of every skill in them: what comparing
        credentials through equivalences reads, as one call of the port (an adapter may
        answer it in one read)."""
        sets = await self.skill_sets(ids)
        related = await self.related_many(sorted({s for skills in sets.values() for s in skills}))
        return sets, related

    async def compared_credentials(
        self, ids: Sequence[str], projection: Projection | None = None
    ) -> tuple[list[CredentialView], dict[str, list[RelatedConcept]]]:
        """What comparing credentials reads, as one call of the port (an adapter may answer
        it in one read): the credentials of `ids` that exist, each once in the order asked, as
        `get_credentials` reads them
        (under a projection, their skills always included), and `related_many` of every
        skill they have."""
        if projection is not None and not projection.skills:
            projection = replace(projection, skills=True)
        views = await self.get_credentials(list(dict.fromkeys(ids)), projection)
        skills = sorted({link.skill.id for view in views for link in view.skills})
        return views, await self.related_many(skills)

    @abc.abstractmethod
    async def similar(self, id: str, k: int = 10) -> list[SimilarCredential]:
        """Top-k credentials by Jaccard similarity of skills, ties by id."""

    async def occupation_required_skills(self, occupation_id: str) -> list[RequiredSkill]:
        """Skills an occupation requires, most important first."""
        return (await self.occupation_required_skills_many([occupation_id]))[occupation_id]

    @abc.abstractmethod
    async def occupation_required_skills_many(
        self, ids: Sequence[str]
    ) -> dict[str, list[RequiredSkill]]:
        """`occupation_required_skills` of many occupations in one round trip: every asked
        id is a key, an unknown occupation or one without requirements maps to []."""

    @abc.abstractmethod
    async def credentials_covering(
        self, skill_ids: Sequence[str], limit: int = 50
    ) -> list[SkillCoverage]:
        """Credentials teaching or assessing any of `skill_ids`, most covered first."""

    @abc.abstractmethod
    async def replace_equivalences(self, owner: str, pairs: Sequence[Equivalence]) -> UpsertReport:
        """Make the SAME_AS edges `owner` (a crosswalk document) states exactly `pairs`, in
        one transaction: missing ones created (`created`), ones it no longer states deleted
        (`deleted`), the rest `unchanged`. Edges other owners state are never touched; a pair
        an edge already joins (say, a skill's own `same_as`) adds nothing. A pair with an end
        that is not a stored node of its kind, or that still carries only a code, is
        rejected and named."""

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

    @abc.abstractmethod
    async def credential_names_version(self) -> str:
        """A token that changes whenever `credential_names` may answer differently: a
        credential added or changed, an issuer written. Cheap: asked before each use of an
        index built from `credential_names`."""

    @abc.abstractmethod
    async def credential_names(self) -> list[CredentialName]:
        """Every credential's name, alternate names and issuer name (a whole-catalogue read,
        for building a name index once per `credential_names_version`)."""

    @abc.abstractmethod
    def neighbourhood(self, seeds: Sequence[str], depth: int) -> AsyncIterator[GraphItem]:
        """Stream the subgraph induced by nodes within `depth` hops of `seeds`, layer by
        layer: each node once, each edge once, never the whole graph in memory."""

    @abc.abstractmethod
    def iter_graph(self) -> AsyncIterator[GraphItem]:
        """Stream every node, then every edge, in batches."""

    @abc.abstractmethod
    async def stats(self) -> GraphStats: ...

    async def credential_history(self, id: str) -> list[CredentialChange]:
        """Version records of a credential, oldest first."""
        return (await self.credential_history_many([id])).get(id, [])

    @abc.abstractmethod
    async def credential_history_many(
        self, ids: Sequence[str]
    ) -> dict[str, list[CredentialChange]]:
        """`credential_history` of many credentials in one round trip: every asked id is a
        key, an unknown credential or one never changed maps to []."""

    @abc.abstractmethod
    async def credential_links(self, ids: Sequence[str]) -> dict[str, CredentialLinks]:
        """For each id, its stacking links to stored credentials in either direction,
        whichever record stated them; every asked id is a key (unknown ids map to empty
        links)."""

    @abc.abstractmethod
    async def upsert_pathways(self, batch: Iterable[PublishedPathway]) -> UpsertReport:
        """Issuers' published pathways: each replaces its own members and steps
        (PUBLISHED_PATHWAY links between the credentials it names, stored or not yet)."""

    @abc.abstractmethod
    async def published_pathways(self, ids: Sequence[str]) -> dict[str, list[PublishedPathway]]:
        """For each credential id, the published pathways naming it, by name; every asked id
        is a key."""

    @abc.abstractmethod
    async def pathways(
        self, start: str, goal: PathwayGoal, max_steps: int, first: int
    ) -> list[Route]:
        """Up to `first` routes from the stored credential `start` to `goal`, following
        preparation, part-of, advanced-standing and published-pathway links forward between
        stored credentials: at most `max_steps` links (capped at MAX_PATHWAY_STEPS), never a
        credential twice, shortest first by the study hours after the start, then by steps.
        An unknown start gives []."""

    @abc.abstractmethod
    async def list_sources(self) -> list[Source]: ...

    @abc.abstractmethod
    async def crawl_runs(self, source_id: str | None = None, limit: int = 20) -> list[CrawlRun]:
        """Most recent first."""

    @abc.abstractmethod
    async def delete_crawl_runs(self, started_before: datetime) -> int:
        """Delete crawl runs that started before `started_before`; how many went.

        Each source's most recent run and every RUNNING run are kept whatever their age, so
        a source's last run (and its backoff) stays known however rarely it runs."""

    # -- job postings (see store.jobs) ----------------------------------------------------
    @abc.abstractmethod
    async def upsert_job_postings(self, batch: Iterable[JobPosting]) -> UpsertReport:
        """Postings with their links: employer (an organisation node), required skills and
        occupations (missing nodes created, never overwritten, as for credentials; method and
        confidence on the edge) and the credentials in `asked_ids` that are stored. Invalid
        postings are rejected by name; an unchanged one is not written."""

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
    async def mark_postings_missed(
        self, source_id: str, seen_ids: Iterable[str], threshold: int
    ) -> StaleReport:
        """`mark_missed` for the postings of a source."""

    @abc.abstractmethod
    async def posting_demand(
        self, kind: NodeKind, ids: Sequence[str], at: datetime
    ) -> DemandCounts:
        """How many postings active at `at` require each skill, are for each occupation, or
        ask for each credential (by name or by skill coverage; see store.jobs)."""

    @abc.abstractmethod
    async def credential_ids_by_name(self, names: Sequence[str]) -> dict[str, list[str]]:
        """Credential ids whose normalised name equals each name's (`normalise_label`),
        sorted; names no credential has are left out."""

    # -- leases (one scheduler process per source at a time) ------------------------------
    @abc.abstractmethod
    async def acquire_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        """Take the lease `name` for `ttl_seconds` if it is free, expired or already
        `holder`'s (then it is extended); False while another holder's lease is live.
        Atomic: of any number of concurrent callers at most one gets True."""

    @abc.abstractmethod
    async def renew_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        """Extend `holder`'s lease to now + `ttl_seconds`; False if it is no longer theirs
        (it expired and another holder took it, or it was released)."""

    @abc.abstractmethod
    async def release_lease(self, name: str, holder: str) -> None:
        """Give the lease up if `holder` has it; nothing happens otherwise."""

    @abc.abstractmethod
    async def take_over_lease(
        self, name: str, old_holder: str, new_holder: str, ttl_seconds: float
    ) -> bool:
        """Give the lease `name` to `new_holder` for `ttl_seconds` (acquired now) if
        `old_holder` has it, expired or not; False otherwise (another holder took it first,
        or it was released). For a holder known to be dead: of any number of concurrent
        callers naming the same `old_holder`, at most one gets True."""

    @abc.abstractmethod
    async def leases(self) -> list[Lease]:
        """Leases not expired, by name."""

    # -- consistency ---------------------------------------------------------------------
    async def check(self) -> CheckReport:
        """A read-only consistency check of the whole store (`credgraph store check`): dangling
        references, credentials without their issuer, counts read two ways, orphans by kind.
        Adapters override it; the default says it is not supported."""
        raise StoreError(f"{type(self).__name__} has no consistency check")
