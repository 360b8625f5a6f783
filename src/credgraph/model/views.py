"""What stores return: records joined with their neighbours, pages, comparisons, graph items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from credgraph.model.records import Credential, Issuer, OccupationLink, Provenance, SkillLink
from credgraph.model.transparency import Transparency
from credgraph.model.values import EdgeType, NodeKind


@dataclass(frozen=True, slots=True)
class CredentialView:
    """A stored credential with its neighbours as the graph has them now."""

    credential: Credential
    issuer: Issuer | None
    skills: tuple[SkillLink, ...]
    occupations: tuple[OccupationLink, ...]
    accredited_by: tuple[Issuer, ...]
    part_of: tuple[str, ...]
    has_part: tuple[str, ...]
    requires: tuple[str, ...]
    transparency: Transparency
    provenance: tuple[Provenance, ...]
    first_seen: datetime
    last_seen: datetime
    stale: bool

    @property
    def id(self) -> str:
        return self.credential.id


@dataclass(frozen=True, slots=True)
class Projection:
    """What a read of credentials needs when it does not need whole views.

    A view read under a projection carries the credential's flat fields (id, name, type, ctid,
    url, language, hours, cost and the transparency score; the rest of its record is left
    empty, transparency lists included), and of the neighbours named, their flat fields: the
    issuer's id, name, country, ctid and url; each skill's and occupation's id, name,
    framework, uri and code, in the record's order. Accreditors, stacked credentials,
    provenance and the seen dates are left empty. `total_count`: whether a page counts every
    match (0 when not). A read without a projection returns whole views.

    The `*_fields` narrow that further to the fields a query selects: of each kind, the flat
    fields named (`credgraph.store.projected`'s names) are read and the others are None (the
    ids, names and the credential's type are always read); None reads them all.
    """

    issuer: bool = False
    skills: bool = False
    occupations: bool = False
    total_count: bool = True
    credential_fields: frozenset[str] | None = None
    issuer_fields: frozenset[str] | None = None
    skill_fields: frozenset[str] | None = None
    occupation_fields: frozenset[str] | None = None


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One keyset page. `end_cursor` resumes after the last item; `total_count` ignores paging
    and is exact up to the store's count bound: past it, `total_count_exact` is False and more
    than `total_count` match (`credgraph.store.counting`)."""

    items: tuple[T, ...]
    cursors: tuple[str, ...]
    end_cursor: str | None
    has_next_page: bool
    total_count: int  # 0 when a projection did not ask for it
    total_count_exact: bool = True


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: NodeKind
    id: str
    name: str
    score: float


@dataclass(frozen=True, slots=True)
class SimilarCredential:
    credential_id: str
    score: float
    shared_skill_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Shared and unique skills across compared credentials, and pairwise Jaccard similarity."""

    credential_ids: tuple[str, ...]
    shared_skill_ids: tuple[str, ...]
    unique_skill_ids: dict[str, tuple[str, ...]]
    jaccard: dict[tuple[str, str], float]


@dataclass(frozen=True, slots=True)
class SkillCoverage:
    """A credential and which of the asked-for skills it covers (skill-gap primitive)."""

    credential_id: str
    covered_skill_ids: frozenset[str]
    transparency: float
    cost: float | None


@dataclass(frozen=True, slots=True)
class RequiredSkill:
    skill_id: str
    importance: float | None
    relation: str | None


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class CredentialChange:
    """One version step of a credential: when it changed and which fields, old and new."""

    credential_id: str
    changed_at: datetime
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class GraphNode:
    """A node as exports see it: kind, id and flat properties. `stub`: a skill or occupation
    known only from a mention (a credential's or a posting's link made it), never written as
    a record of its own; how the node is known, not what it says, so nodes compare without
    it and exports leave it out."""

    kind: NodeKind
    id: str
    properties: dict[str, Any] = field(default_factory=dict)
    stub: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class GraphEdge:
    type: EdgeType
    source: str
    target: str
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GraphStats:
    issuers: int
    credentials: int
    skills: int
    occupations: int
    sources: int
    crawl_runs: int
    relationships: int
    stale_credentials: int


@dataclass(frozen=True, slots=True)
class UpsertReport:
    """What one batch upsert did. Rejected records are named with their problems."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: tuple[RejectedRecord, ...] = ()
    deleted: int = 0  # edges a replacement removed (equivalences, skill requirements)


@dataclass(frozen=True, slots=True)
class RejectedRecord:
    kind: str
    record_id: str | None
    problems: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id or '<no id>'!r}: " + "; ".join(self.problems)


@dataclass(frozen=True, slots=True)
class StaleReport:
    missed: int
    newly_stale: int
    revived: int
