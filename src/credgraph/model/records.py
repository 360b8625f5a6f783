"""The records crawlers produce and stores keep: issuers, credentials, skills, occupations.

Records are immutable values. A credential embeds references to its issuer, skills and
occupations as full records so that a store can create a node it has not seen yet; an
embedded reference never overwrites a node that already exists (taxonomy imports and issuer
documents are the authority for those nodes, via their own upserts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from credgraph.model.stacking import AdvancedStanding, Outcome, QualityAssurance
from credgraph.model.values import (
    CredentialType,
    Credits,
    Duration,
    Money,
    NodeKind,
    SkillRelation,
)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a record came from: which source, which document, when, and under what terms."""

    source_id: str
    url: str
    format: str
    fetched_at: datetime
    content_hash: str | None = None
    licence: str | None = None


@dataclass(frozen=True, slots=True)
class Issuer:
    """An awarding body: university, training provider, certification body, platform."""

    id: str
    name: str
    url: str | None = None
    ctid: str | None = None
    description: str | None = None
    country: str | None = None
    email: str | None = None
    accredited_by: tuple[Issuer, ...] = ()
    # other names it goes by ("AWS" for Amazon Web Services), as its own documents give them
    alternate_names: tuple[str, ...] = ()
    provenance: Provenance | None = None


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill or competency, in a framework (ESCO, O*NET, a CASE/CTDL-ASN framework) or local."""

    id: str
    name: str
    framework: str | None = None
    uri: str | None = None
    code: str | None = None
    description: str | None = None
    alt_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()
    provenance: Provenance | None = None


@dataclass(frozen=True, slots=True)
class Occupation:
    """An occupation: O*NET-SOC, ESCO, ISCO, or a label an issuer used."""

    id: str
    name: str
    code: str | None = None
    framework: str | None = None
    uri: str | None = None
    description: str | None = None
    alt_labels: tuple[str, ...] = ()
    provenance: Provenance | None = None


@dataclass(frozen=True, slots=True)
class SkillLink:
    """A credential's link to a skill, with how the link was made and how sure we are."""

    skill: Skill
    relation: SkillRelation = SkillRelation.TEACHES
    method: str | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class OccupationLink:
    """A credential prepares for an occupation."""

    occupation: Occupation
    method: str | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class SkillRequirement:
    """An occupation requires a skill, with an importance (O*NET IM scale, or 1/0.5 for
    ESCO essential/optional) used to rank an occupation's required skills."""

    occupation_id: str
    skill: Skill
    importance: float | None = None
    relation: str | None = None


@dataclass(frozen=True, slots=True)
class Credential:
    """A credential definition (a badge class, a certificate, a degree...), not an award."""

    id: str
    name: str
    type: CredentialType = CredentialType.OTHER
    description: str | None = None
    ctid: str | None = None
    url: str | None = None
    issuer: Issuer | None = None
    language: str | None = None
    duration_hours: float | None = None
    credits: Credits | None = None
    level: str | None = None
    assessment: str | None = None
    delivery_mode: str | None = None
    cost: Money | None = None
    accredited_by: tuple[Issuer, ...] = ()
    prerequisites: str | None = None
    requires: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()
    has_part: tuple[str, ...] = ()
    validity: str | None = None
    criteria: str | None = None
    keywords: tuple[str, ...] = ()
    skills: tuple[SkillLink, ...] = ()
    occupations: tuple[OccupationLink, ...] = ()
    # the duration as published; duration_hours is its upper bound in study hours
    duration: Duration | None = None
    # other names the publisher gives it (CTDL/OB/schema.org `alternateName`): abbreviations
    # and short forms people write on a resume, which resolving names reads
    alternate_names: tuple[str, ...] = ()
    # what it leads to (credential ids) and the credit it grants or receives
    prepares_for: tuple[str, ...] = ()
    prepared_by: tuple[str, ...] = ()
    advanced_standing_for: tuple[AdvancedStanding, ...] = ()
    advanced_standing_from: tuple[AdvancedStanding, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    quality_assurance: tuple[QualityAssurance, ...] = ()
    provenance: Provenance | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Equivalence:
    """A crosswalk's statement that two concepts of different schemes mean the same (an exact
    or close match), e.g. ISCO-08 `2512` and SOC `15-1252`, or an ESCO skill and an O*NET
    element. Stored as a SAME_AS edge owned by the crosswalk document that states it, so
    re-importing the taxonomies on either side never removes it, and re-importing the
    crosswalk replaces exactly its own pairs.

    `a` and `b` are graph ids; a side written as a code the id cannot be derived from (an
    ESCO occupation code such as `2512.4`) carries the code in `a_code`/`b_code` with an
    empty id, to be resolved against the stored nodes."""

    kind: NodeKind  # SKILL or OCCUPATION
    a: str
    b: str
    a_code: str | None = None
    b_code: str | None = None
    line: str | None = None  # "file:line" of the pair, for messages

    def __post_init__(self) -> None:
        if self.kind not in (NodeKind.SKILL, NodeKind.OCCUPATION):
            raise ValueError(f"equivalences join skills or occupations, not {self.kind}")
