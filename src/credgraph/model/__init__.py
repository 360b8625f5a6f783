"""The pure domain: records, values, identity rules, transparency. No I/O here."""

from credgraph.model.crawl import CrawlError, CrawlRun, Source
from credgraph.model.ids import (
    credential_id,
    issuer_id,
    normalise_label,
    normalise_text,
    normalise_uri,
    occupation_id,
    skill_id,
)
from credgraph.model.records import (
    Credential,
    Issuer,
    Occupation,
    OccupationLink,
    Provenance,
    Skill,
    SkillLink,
    SkillRequirement,
)
from credgraph.model.transparency import Transparency, transparency_of
from credgraph.model.values import (
    CrawlStatus,
    CredentialLinkType,
    CredentialType,
    Credits,
    Duration,
    EdgeType,
    Money,
    NodeKind,
    SkillLinkType,
    SkillRelation,
)

__all__ = [
    "CrawlError",
    "CrawlRun",
    "CrawlStatus",
    "Credential",
    "CredentialLinkType",
    "CredentialType",
    "Credits",
    "Duration",
    "EdgeType",
    "Issuer",
    "Money",
    "NodeKind",
    "Occupation",
    "OccupationLink",
    "Provenance",
    "Skill",
    "SkillLink",
    "SkillLinkType",
    "SkillRelation",
    "SkillRequirement",
    "Source",
    "Transparency",
    "credential_id",
    "issuer_id",
    "normalise_label",
    "normalise_text",
    "normalise_uri",
    "occupation_id",
    "skill_id",
    "transparency_of",
]
