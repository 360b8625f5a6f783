"""What the store port says about job postings: the listing filter, a stored posting's view,
and demand (how many active postings ask for a skill, an occupation or a credential).

A posting is active while its `validThrough` has not passed and it has not gone stale (missed
by its source `stale_after_misses` crawls in a row); only active postings count as demand.
A credential's demand counts the active postings that ask for it by name or URL, or whose
required skills it covers at least half of (`COVERAGE_FOR_DEMAND`).

Demand follows equivalences as comparisons do: a skill's (or occupation's) demand counts the
active postings that require it or a node a SAME_AS edge joins to it, each posting once; a
credential covers a required skill it teaches or assesses, or one equivalent to a skill it
teaches or assesses. Stated equivalences (a crosswalk's, a node's own `sameAs`) always count;
computed close matches count when their score is at least the caller's `min_confidence` (the
API passes `analysis.equivalents.MIN_CONFIDENCE`, so demand and comparisons agree on what is
the same skill; the default, `STATED_SCORE`, keeps only matches as sure as stated ones). Only
direct edges count: equivalence is not followed transitively.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from credgraph.model.jobs import JobPosting
from credgraph.model.values import NodeKind

COVERAGE_FOR_DEMAND = 0.5
DEMAND_KINDS = (NodeKind.SKILL, NodeKind.OCCUPATION, NodeKind.CREDENTIAL)


@dataclass(frozen=True, slots=True)
class PostingFilter:
    """Every given condition must hold. `occupations`, `skills`: node ids, any of them;
    `employer`: an organisation id; `active`: open (True) or closed/stale (False) at `at`."""

    text: str | None = None
    occupations: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    employer: str | None = None
    active: bool | None = None


@dataclass(frozen=True, slots=True)
class PostingView:
    """A stored posting and what the store knows of it besides its content."""

    posting: JobPosting
    stale: bool = False

    def active_at(self, when: datetime) -> bool:
        return not self.stale and self.posting.active_at(when)


@dataclass(frozen=True, slots=True)
class DemandCounts:
    """`active` postings at the time asked; `by_id[id]` of them ask for each node (every
    asked id is a key)."""

    active: int
    by_id: dict[str, int]

    def share(self, id: str) -> float:
        return self.by_id.get(id, 0) / self.active if self.active else 0.0
