"""The reading role: what the API, exports, analysis and matching ask of the graph.

`CatalogueReader` reads credentials, issuers, skills, occupations and the links between them;
`GraphReader` adds the equivalence and job posting reads, and is what a caller serving the
graph (the API, `credgraph.export`) asks for. `graph_version` is the one "graph changed"
token: whatever caches something built from the graph keys it on that.
"""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from typing import Protocol

from credgraph.model.comparison import build_comparison
from credgraph.model.pathway import PublishedPathway
from credgraph.model.records import Issuer, Occupation, Skill
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
)
from credgraph.store.equivalence import RelatedConcept
from credgraph.store.names import CredentialName
from credgraph.store.ports.equivalences import EquivalenceReader
from credgraph.store.ports.postings import PostingReader
from credgraph.store.query import CredentialFilter, CredentialSort

GraphItem = GraphNode | GraphEdge


class CatalogueReader(Protocol):
    """Credentials with their neighbours, listings, search, comparisons, pathways, streams."""

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
        every match is ranked. A word in more than half of a kind's nodes may be matched
        without being scored (bm25 gives it no weight; SQLite: `store/sqlite/search.py`)."""

    @abc.abstractmethod
    async def skill_sets(self, ids: Sequence[str]) -> dict[str, frozenset[str]]:
        """Skill ids (taught or assessed) of each known credential."""

    async def compare(self, ids: Sequence[str]) -> Comparison:
        return build_comparison(ids, await self.skill_sets(ids))

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
    async def graph_version(self) -> str:
        """A token that changes whenever a write changed the graph (credentials, issuers,
        skills, occupations, requirements, pathways, job postings, equivalences, close
        matches, stale marks), in the transaction of that write; compare tokens for
        equality only. Cheap (one row or node): asked before each use of anything cached
        over the graph (the name index, the match vocabulary, the pathway adjacency). The
        crawl ledger and leases are not the graph and leave it unchanged."""

    @abc.abstractmethod
    async def credential_names(self) -> list[CredentialName]:
        """Every credential's name, alternate names and issuer name (a whole-catalogue read,
        for building a name index once per `graph_version`)."""

    @abc.abstractmethod
    def neighbourhood(self, seeds: Sequence[str], depth: int) -> AsyncIterator[GraphItem]:
        """Stream the subgraph induced by nodes within `depth` hops of `seeds`, layer by
        layer: each node once, each edge once, never the whole graph in memory."""

    @abc.abstractmethod
    def iter_graph(self) -> AsyncIterator[GraphItem]:
        """Stream every node, then every edge, in batches."""

    @abc.abstractmethod
    async def stats(self) -> GraphStats: ...

    @abc.abstractmethod
    async def credential_history_many(
        self, ids: Sequence[str]
    ) -> dict[str, list[CredentialChange]]:
        """The version records of each credential, oldest first, in one round trip: every
        asked id is a key, an unknown credential or one never changed maps to []."""

    @abc.abstractmethod
    async def credential_links(self, ids: Sequence[str]) -> dict[str, CredentialLinks]:
        """For each id, its stacking links to stored credentials in either direction,
        whichever record stated them; every asked id is a key (unknown ids map to empty
        links)."""

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


class GraphReader(CatalogueReader, EquivalenceReader, PostingReader, Protocol):
    """Every read of the graph: what the API and exports ask for."""

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
        `get_credentials` reads them (under a projection, their skills always included), and
        `related_many` of every skill they have."""
        if projection is not None and not projection.skills:
            projection = replace(projection, skills=True)
        views = await self.get_credentials(list(dict.fromkeys(ids)), projection)
        skills = sorted({link.skill.id for view in views for link in view.skills})
        return views, await self.related_many(skills)
