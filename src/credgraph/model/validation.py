"""Checks a record must pass before a store accepts it. Each problem names the field.

Parsers build records from untrusted documents, so types are checked at run time here rather
than trusted from annotations.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from credgraph.model.records import Credential, Issuer, Occupation, Skill, SkillRequirement
from credgraph.model.values import CredentialType, Credits, Duration, Money, SkillRelation

MAX_ID = 2048
MAX_NAME = 1000
MAX_TEXT = 100_000
MAX_HOURS = 100_000.0


_SURROGATE = re.compile("[\ud800-\udfff]")


def holds_lone_surrogate(value: Any) -> bool:
    """Whether a JSON value (its keys too) holds a lone UTF-16 surrogate, as a JSON escape
    such as "\\ud800" reads: not Unicode text, which no store, hash or canonical form
    can encode."""
    # A loop, not recursion: the standard library reads JSON nested up to its recursion limit.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if not item.isascii() and _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending += item.keys()
            pending += item.values()
        elif isinstance(item, list):
            pending += item
    return False


def _text(problems: list[str], name: str, value: Any, *, required: bool, limit: int) -> None:
    if value is None:
        if required:
            problems.append(f"{name} is missing")
        return
    if not isinstance(value, str):
        problems.append(f"{name} must be text, got {type(value).__name__}")
    elif required and not value.strip():
        problems.append(f"{name} is empty")
    elif len(value) > limit:
        problems.append(f"{name} is {len(value)} characters (limit {limit})")
    elif not value.isascii() and _SURROGATE.search(value):
        # from a JSON \ud800 escape: no store can encode it (isascii first: most text is
        # ASCII, and the check runs for every field of every embedded skill)
        problems.append(f"{name} holds an unpaired surrogate (not valid Unicode text)")


text_problems = _text  # for records defined beside this module (model.jobs)


def _labels(problems: list[str], name: str, values: Any) -> None:
    for i, value in enumerate(values):
        _text(problems, f"{name}[{i}]", value, required=False, limit=MAX_NAME)


def _identity(problems: list[str], record: Any) -> None:
    _text(problems, "id", record.id, required=True, limit=MAX_ID)
    _text(problems, "name", record.name, required=True, limit=MAX_NAME)


def validate_issuer(issuer: Issuer) -> list[str]:
    problems: list[str] = []
    _identity(problems, issuer)
    for name in ("url", "ctid", "country", "email"):
        _text(problems, name, getattr(issuer, name), required=False, limit=MAX_ID)
    _text(problems, "description", issuer.description, required=False, limit=MAX_TEXT)
    for i, accreditor in enumerate(issuer.accredited_by):
        problems += [f"accredited_by[{i}].{p}" for p in validate_issuer(accreditor)]
    _labels(problems, "alternate_names", issuer.alternate_names)
    return problems


def validate_skill(skill: Skill) -> list[str]:
    problems: list[str] = []
    _identity(problems, skill)
    for name in ("framework", "uri", "code"):
        _text(problems, name, getattr(skill, name), required=False, limit=MAX_ID)
    _text(problems, "description", skill.description, required=False, limit=MAX_TEXT)
    _labels(problems, "alt_labels", skill.alt_labels)
    return problems


def validate_occupation(occupation: Occupation) -> list[str]:
    problems: list[str] = []
    _identity(problems, occupation)
    for name in ("framework", "uri", "code"):
        _text(problems, name, getattr(occupation, name), required=False, limit=MAX_ID)
    _text(problems, "description", occupation.description, required=False, limit=MAX_TEXT)
    _labels(problems, "alt_labels", occupation.alt_labels)
    return problems


def validate_requirement(req: SkillRequirement) -> list[str]:
    problems: list[str] = []
    _text(problems, "occupation_id", req.occupation_id, required=True, limit=MAX_ID)
    problems += [f"skill.{p}" for p in validate_skill(req.skill)]
    if req.importance is not None and not _finite(req.importance):
        problems.append(f"importance {req.importance!r} is not a finite number")
    return problems


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


# Problems of embedded records checked already, by identity and by the check that ran (the
# record kept, so its id is not reused while the entry lives): a page's credentials share
# their issuer and skill objects.
Checked = dict[tuple[int, Callable[[Any], list[str]]], tuple[object, list[str]]]


def _embedded(
    checked: Checked | None, record: Any, validate: Callable[[Any], list[str]]
) -> list[str]:
    if checked is None:
        return validate(record)
    key = (id(record), validate)
    hit = checked.get(key)
    if hit is None or hit[0] is not record:
        hit = checked[key] = (record, validate(record))
    return hit[1]


def validate_credential(credential: Credential, checked: Checked | None = None) -> list[str]:
    """Every problem with a credential, each naming the field; empty when it is acceptable.
    `checked`: a batch's memo of the issuers, skills and occupations its credentials embed
    (each object validated once)."""
    c = credential
    problems: list[str] = []
    _identity(problems, c)
    if not isinstance(c.type, CredentialType):
        problems.append(f"type {c.type!r} is not a credential type")
    for name in ("ctid", "url", "language", "level", "assessment", "delivery_mode", "validity"):
        _text(problems, name, getattr(c, name), required=False, limit=MAX_ID)
    for name in ("description", "prerequisites", "criteria"):
        _text(problems, name, getattr(c, name), required=False, limit=MAX_TEXT)
    if c.duration_hours is not None and not (
        _finite(c.duration_hours) and 0 <= c.duration_hours <= MAX_HOURS
    ):
        problems.append(f"duration_hours {c.duration_hours!r} is out of range (0 to {MAX_HOURS})")
    if c.duration is not None:
        if isinstance(c.duration, Duration):
            _text(problems, "duration.text", c.duration.text, required=True, limit=MAX_ID)
            _text(problems, "duration.iso", c.duration.iso, required=False, limit=MAX_ID)
            problems += c.duration.problems(MAX_HOURS)
        else:
            problems.append("duration is not a Duration")
    if c.cost is not None:
        problems += c.cost.problems() if isinstance(c.cost, Money) else ["cost is not Money"]
    if c.credits is not None:
        problems += c.credits.problems() if isinstance(c.credits, Credits) else ["bad credits"]
    if c.issuer is not None:
        problems += [f"issuer.{p}" for p in _embedded(checked, c.issuer, validate_issuer)]
    for i, acc in enumerate(c.accredited_by):
        found = _embedded(checked, acc, validate_issuer)
        problems += [f"accredited_by[{i}].{p}" for p in found]
    for i, link in enumerate(c.skills):
        problems += [f"skills[{i}].{p}" for p in _embedded(checked, link.skill, validate_skill)]
        if not isinstance(link.relation, SkillRelation):
            problems.append(f"skills[{i}].relation {link.relation!r} is not TEACHES or ASSESSES")
    for i, occ in enumerate(c.occupations):
        found = _embedded(checked, occ.occupation, validate_occupation)
        problems += [f"occupations[{i}].{p}" for p in found]
    for name in ("requires", "part_of", "has_part", "prepares_for", "prepared_by"):
        for i, ref in enumerate(getattr(c, name)):
            _text(problems, f"{name}[{i}]", ref, required=True, limit=MAX_ID)
    for name in ("advanced_standing_for", "advanced_standing_from"):
        for i, standing in enumerate(getattr(c, name)):
            _text(
                problems,
                f"{name}[{i}].credential",
                standing.credential,
                required=True,
                limit=MAX_ID,
            )
            _text(
                problems,
                f"{name}[{i}].description",
                standing.description,
                required=False,
                limit=MAX_TEXT,
            )
            if standing.credits is not None:
                problems += [f"{name}[{i}].{p}" for p in standing.credits.problems()]
    for i, outcome in enumerate(c.outcomes):
        problems += [f"outcomes[{i}]: {p}" for p in outcome.problems()]
    for i, qa in enumerate(c.quality_assurance):
        _text(
            problems,
            f"quality_assurance[{i}].organisation",
            qa.organisation,
            required=True,
            limit=MAX_ID,
        )
    _labels(problems, "keywords", c.keywords)
    _labels(problems, "alternate_names", c.alternate_names)
    return problems
