"""Small typed values that appear on credentials: money, credits, durations, and the closed
vocabularies."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

_CURRENCY = re.compile(r"^[A-Z]{3}$")


class CredentialType(enum.StrEnum):
    """What kind of credential a record is, across every source format."""

    BADGE = "BADGE"
    MICRO_CREDENTIAL = "MICRO_CREDENTIAL"
    CERTIFICATE = "CERTIFICATE"
    CERTIFICATION = "CERTIFICATION"
    LICENSE = "LICENSE"
    DEGREE = "DEGREE"
    COURSE = "COURSE"
    OTHER = "OTHER"


class SkillRelation(enum.StrEnum):
    """How a credential relates to a skill: it teaches it, or it assesses it."""

    TEACHES = "TEACHES"
    ASSESSES = "ASSESSES"


class CredentialLinkType(enum.StrEnum):
    """Credential-to-credential relationships."""

    PART_OF = "PART_OF"
    REQUIRES = "REQUIRES"


class SkillLinkType(enum.StrEnum):
    """Skill-to-skill relationships between frameworks and inside one."""

    SAME_AS = "SAME_AS"
    BROADER = "BROADER"


class CrawlStatus(enum.StrEnum):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    PARTIAL = "PARTIAL"
    FAILED = "FAILED"
    ABORTED = "ABORTED"


class NodeKind(enum.StrEnum):
    """Node labels. Store adapters take labels only from here, never from input."""

    ISSUER = "Issuer"
    CREDENTIAL = "Credential"
    SKILL = "Skill"
    OCCUPATION = "Occupation"
    SOURCE = "Source"
    CRAWL_RUN = "CrawlRun"


class EdgeType(enum.StrEnum):
    """Relationship types. Store adapters take types only from here, never from input."""

    ISSUED_BY = "ISSUED_BY"
    TEACHES = "TEACHES"
    ASSESSES = "ASSESSES"
    PREPARES_FOR = "PREPARES_FOR"
    PART_OF = "PART_OF"
    REQUIRES = "REQUIRES"
    REQUIRES_SKILL = "REQUIRES_SKILL"
    SAME_AS = "SAME_AS"
    BROADER = "BROADER"
    ACCREDITED_BY = "ACCREDITED_BY"
    # credential -> credential: it prepares for (exported as PREPARES_FOR, whose ends tell it
    # apart from preparing for an occupation) and it grants credit toward
    PREPARES_FOR_CREDENTIAL = "PREPARES_FOR_CREDENTIAL"
    ADVANCED_STANDING = "ADVANCED_STANDING"
    # credential -> credential in an issuer's published pathway (owned by the pathway)
    PUBLISHED_PATHWAY = "PUBLISHED_PATHWAY"
    FROM_SOURCE = "FROM_SOURCE"


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in an ISO 4217 currency. Amounts are non-negative."""

    amount: float
    currency: str

    def problems(self) -> list[str]:
        out = []
        if not isinstance(self.amount, (int, float)) or isinstance(self.amount, bool):
            out.append(f"cost.amount must be a number, got {type(self.amount).__name__}")
        elif self.amount < 0 or self.amount != self.amount or self.amount > 1e9:
            out.append(f"cost.amount {self.amount!r} is out of range (0 to 1e9)")
        if not isinstance(self.currency, str) or not _CURRENCY.match(self.currency):
            out.append(f"cost.currency {self.currency!r} is not an ISO 4217 code")
        return out


@dataclass(frozen=True, slots=True)
class Credits:
    """Academic credit: a value and its unit (ECTS, credit hours, CEU...)."""

    value: float
    unit: str | None = None

    def problems(self) -> list[str]:
        if not isinstance(self.value, (int, float)) or isinstance(self.value, bool):
            return [f"credits.value must be a number, got {type(self.value).__name__}"]
        if self.value < 0 or self.value != self.value or self.value > 10_000:
            return [f"credits.value {self.value!r} is out of range (0 to 10000)"]
        return []


@dataclass(frozen=True, slots=True)
class Duration:
    """How long a credential takes, as its publisher wrote it, and the study hours that stands
    for (formats.durations gives the convention: P5D is 40 hours of study, not 120).

    `iso` is the ISO 8601 duration when one was published; a CTDL minimum/maximum range is
    written `min/max` (e.g. `P2Y/P4Y`). The hours are None when the text gives no amount
    (`"Weeks"`, `"5-7 hours/week"`); `min_hours == max_hours` for an exact value."""

    text: str
    iso: str | None = None
    min_hours: float | None = None
    max_hours: float | None = None

    def problems(self, limit: float) -> list[str]:
        out = []
        for name in ("min_hours", "max_hours"):
            value = getattr(self, name)
            if value is None:
                continue
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                out.append(f"duration.{name} must be a number, got {type(value).__name__}")
            elif not 0 <= value <= limit:
                out.append(f"duration.{name} {value!r} is out of range (0 to {limit})")
        low, high = self.min_hours, self.max_hours
        if not out and low is not None and high is not None and low > high:
            out.append(f"duration.min_hours {low} is above max_hours {high}")
        return out
