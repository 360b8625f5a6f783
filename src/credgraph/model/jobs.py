"""Job postings: what employers ask for, the other side of the graph from what credentials teach.

A posting embeds its employer, skills and occupations as full records, as a credential does,
so a store can create a node it has not seen; an embedded reference never overwrites a node
that exists. The credentials a posting asks for are kept as they were written
(`AskedCredential`); `asked_ids` holds the stored credentials they were resolved to
(`ingest.asked_credentials`), empty until then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from credgraph.model.records import Issuer, OccupationLink, Provenance, SkillLink
from credgraph.model.validation import (
    MAX_ID,
    MAX_NAME,
    MAX_TEXT,
    text_problems,
    validate_issuer,
    validate_occupation,
    validate_skill,
)

MAX_POSTING_SKILLS = 200  # a posting listing more is read up to this many, with a warning


@dataclass(frozen=True, slots=True)
class Salary:
    """Pay as published: an amount or a range, a currency when one is given, and the period
    it is paid per (HOUR, DAY, WEEK, MONTH, YEAR) when stated. `text` keeps what was written
    when it was free text."""

    min_amount: float | None = None
    max_amount: float | None = None
    currency: str | None = None
    unit: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class AskedCredential:
    """A credential a posting asks for, as written: an EducationalOccupationalCredential's
    name, url and category, or a name found in `qualifications`. `field` says where."""

    name: str | None
    url: str | None = None
    category: str | None = None
    field: str = "educationRequirements"


@dataclass(frozen=True, slots=True)
class JobPosting:
    """One schema.org JobPosting."""

    id: str
    title: str
    url: str | None = None
    description: str | None = None
    date_posted: date | None = None
    valid_through: datetime | None = None
    employment_types: tuple[str, ...] = ()
    employer: Issuer | None = None
    locations: tuple[str, ...] = ()
    salary: Salary | None = None
    skills: tuple[SkillLink, ...] = ()
    occupations: tuple[OccupationLink, ...] = ()
    qualifications: str | None = None
    # `skills` text that reads as sentences rather than a list, kept as written for readers
    # of text (matching) since no skill label could be taken from it
    skills_text: str | None = None
    education_requirements: tuple[str, ...] = ()
    experience_requirements: tuple[str, ...] = ()
    asked: tuple[AskedCredential, ...] = ()
    asked_ids: tuple[str, ...] = ()
    provenance: Provenance | None = field(default=None, compare=False)

    def active_at(self, when: datetime) -> bool:
        """Open on `when`: no validThrough, or one not passed yet."""
        return self.valid_through is None or self.valid_through > when


def as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def validate_posting(posting: JobPosting) -> list[str]:
    """Every problem with a posting, each naming the field; empty when it is acceptable."""
    p = posting
    problems: list[str] = []
    text_problems(problems, "id", p.id, required=True, limit=MAX_ID)
    text_problems(problems, "title", p.title, required=True, limit=MAX_NAME)
    text_problems(problems, "url", p.url, required=False, limit=MAX_ID)
    for name in ("description", "qualifications", "skills_text"):
        text_problems(problems, name, getattr(p, name), required=False, limit=MAX_TEXT)
    for name in (
        "employment_types",
        "locations",
        "education_requirements",
        "experience_requirements",
        "asked_ids",
    ):
        for i, value in enumerate(getattr(p, name)):
            text_problems(problems, f"{name}[{i}]", value, required=True, limit=MAX_TEXT)
    if p.date_posted is not None and not isinstance(p.date_posted, date):
        problems.append("date_posted is not a date")
    if p.valid_through is not None and not isinstance(p.valid_through, datetime):
        problems.append("valid_through is not a datetime")
    if p.employer is not None:
        problems += [f"employer.{x}" for x in validate_issuer(p.employer)]
    if len(p.skills) > MAX_POSTING_SKILLS:
        problems.append(f"skills: {len(p.skills)} (limit {MAX_POSTING_SKILLS})")
    for i, link in enumerate(p.skills):
        problems += [f"skills[{i}].{x}" for x in validate_skill(link.skill)]
    for i, occ in enumerate(p.occupations):
        problems += [f"occupations[{i}].{x}" for x in validate_occupation(occ.occupation)]
    for i, asked in enumerate(p.asked):
        text_problems(problems, f"asked[{i}].name", asked.name, required=False, limit=MAX_NAME)
        text_problems(problems, f"asked[{i}].url", asked.url, required=False, limit=MAX_ID)
    if p.salary is not None:
        problems += _salary_problems(p.salary)
    return problems


def _salary_problems(s: Salary) -> list[str]:
    out: list[str] = []
    for name in ("min_amount", "max_amount"):
        value: Any = getattr(s, name)
        if value is not None and (
            not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1e9
        ):
            out.append(f"salary.{name} {value!r} is not an amount (0 to 1e9)")
    return out
