"""What a credential leads to and what holding it is worth: stacking links, reported outcomes
and quality-assurance evidence, as credentials carry them.

These are values inside a `Credential` record. The links name other credentials by graph id;
stores turn them into PREPARES_FOR_CREDENTIAL and ADVANCED_STANDING edges owned by the record
that states them, so re-crawling it replaces exactly its own statements.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import date

from credgraph.model.values import Credits

MAX_EARNINGS = 10_000_000.0  # a yearly median above this is a unit or typing error
MAX_COUNT = 1e9


class OutcomeKind(enum.StrEnum):
    """What an outcome measures. EMPLOYMENT_RATE and COMPLETION_RATE are percentages."""

    MEDIAN_EARNINGS = "MEDIAN_EARNINGS"
    EMPLOYMENT_RATE = "EMPLOYMENT_RATE"
    AWARDED = "AWARDED"
    COMPLETION_RATE = "COMPLETION_RATE"
    OTHER = "OTHER"


class QARelation(enum.StrEnum):
    """How a quality-assurance body stands to a credential (CTDL's QA properties)."""

    ACCREDITED = "ACCREDITED"
    RECOGNIZED = "RECOGNIZED"
    REGULATED = "REGULATED"
    APPROVED = "APPROVED"


@dataclass(frozen=True, slots=True)
class AdvancedStanding:
    """Credit one credential grants toward another: `credential` is the other one's id."""

    credential: str
    credits: Credits | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """One reported outcome for holders of a credential (CTDL aggregateData and its older
    Earnings/EmploymentOutcome/Holders profiles)."""

    kind: OutcomeKind
    value: float
    unit: str | None = None
    currency: str | None = None
    post_receipt_months: int | None = None
    description: str | None = None
    source: str | None = None
    as_of: date | None = None

    def problems(self) -> list[str]:
        v = self.value
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
            return [f"outcome value {v!r} is not a number"]
        if v < 0:
            return [f"outcome value {v!r} is negative"]
        if self.kind in (OutcomeKind.EMPLOYMENT_RATE, OutcomeKind.COMPLETION_RATE) and v > 100:
            return [f"{self.kind.value.lower()} {v!r}% is over 100"]
        if self.kind is OutcomeKind.MEDIAN_EARNINGS:
            if not self.currency:
                return ["median earnings without a currency"]
            if v > MAX_EARNINGS:
                return [f"median earnings {v!r} is out of range (0 to {MAX_EARNINGS:.0f})"]
        if self.kind is OutcomeKind.AWARDED and v > MAX_COUNT:
            return [f"number awarded {v!r} is out of range"]
        if self.post_receipt_months is not None and not 0 <= self.post_receipt_months <= 1200:
            return [f"postReceiptMonths {self.post_receipt_months!r} is out of range (0 to 1200)"]
        return []


@dataclass(frozen=True, slots=True)
class QualityAssurance:
    """A quality-assurance body's relation to a credential, with the body's type as published
    (e.g. QACredentialOrganization); `organisation` is its issuer id."""

    relation: QARelation
    organisation: str
    name: str
    organisation_type: str | None = None


@dataclass(frozen=True, slots=True)
class CredentialLinks:
    """A stored credential's stacking links to other stored credentials, whichever record
    stated them: what it prepares for and is prepared by, the credit it grants toward others
    (`advanced_standing_for`) and receives from them (`advanced_standing_from`). Ids sorted."""

    prepares_for: tuple[str, ...] = ()
    prepared_by: tuple[str, ...] = ()
    advanced_standing_for: tuple[AdvancedStanding, ...] = ()
    advanced_standing_from: tuple[AdvancedStanding, ...] = ()


def standing_from_props(other: str, props: dict[str, object] | None) -> AdvancedStanding:
    """An advanced-standing entry rebuilt from an edge's stored properties."""
    props = props or {}
    value, unit, text = (
        props.get("credits_value"),
        props.get("credits_unit"),
        props.get("description"),
    )
    granted = (
        Credits(float(value), unit if isinstance(unit, str) else None)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else None
    )
    return AdvancedStanding(other, granted, text if isinstance(text, str) else None)


MAX_PATHWAY_STEPS = 10  # links a pathway may follow, whatever a query asks
MAX_PATHWAYS = 20  # pathways one query may return


class PathwayRelation(enum.StrEnum):
    """The link a pathway step was reached by."""

    PREPARES_FOR = "PREPARES_FOR"
    PART_OF = "PART_OF"
    ADVANCED_STANDING = "ADVANCED_STANDING"
    PUBLISHED_PATHWAY = "PUBLISHED_PATHWAY"


@dataclass(frozen=True, slots=True)
class PathwayGoal:
    """Where a pathway ends: one of these credentials, or any credential that prepares for
    the occupation."""

    credentials: frozenset[str] = frozenset()
    occupation: str | None = None


@dataclass(frozen=True, slots=True)
class RouteStep:
    """One credential on a route and the link that led to it (None on the first step); the
    credits are those an advanced-standing link grants toward it."""

    credential: str
    via: PathwayRelation | None = None
    credits: Credits | None = None


@dataclass(frozen=True, slots=True)
class Route:
    """A route found by the pathway search; `hours` is the study hours of every step after
    the first (the credential started from is held already) that states its hours, and
    `steps_without_hours` counts those steps that state none (so `hours` is then a lower
    bound, not the route's length)."""

    steps: tuple[RouteStep, ...]
    hours: float
    steps_without_hours: int = 0


def bounded_route(max_steps: int, first: int) -> tuple[int, int]:
    """`max_steps` and `first` within their caps (stores apply it whatever the caller did)."""
    return max(0, min(int(max_steps), MAX_PATHWAY_STEPS)), max(0, min(int(first), MAX_PATHWAYS))
