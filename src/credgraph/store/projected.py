"""Credential views read under a projection, built from flat columns (SQLite) or properties
(Neo4j) instead of whole JSON documents; shared by every adapter so both build the same view.

The neighbours come as flat rows too, and are listed in the record's own order (kept at write
time as `skill_ids`/`occupation_ids`), each id once, leaving out ids with no stored node: the
same links, in the same order, as a whole view has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from credgraph.model.records import (
    Credential,
    Issuer,
    Occupation,
    OccupationLink,
    Skill,
    SkillLink,
)
from credgraph.model.transparency import Transparency
from credgraph.model.values import CredentialType, Money
from credgraph.model.views import CredentialView

# A projected view has no seen dates (a projection never asks for them); this stands in.
_UNREAD = datetime.fromtimestamp(0, UTC)

# One node's values, in the order of its kind's fields below.
Values = Sequence[Any]

# The flat fields of each kind, in the order adapters may send them as plain lists.
CREDENTIAL_FIELDS = (
    "id",
    "name",
    "type",
    "ctid",
    "url",
    "language",
    "duration_hours",
    "cost_amount",
    "cost_currency",
    "transparency",
)
ISSUER_FIELDS = ("id", "name", "country", "ctid", "url")
NODE_FIELDS = ("id", "name", "framework", "uri", "code")  # skills and occupations
# Read whatever a projection's `*_fields` say: what keys and builds a record.
ALWAYS_READ = frozenset({"id", "name", "type"})


def read_fields(fields: tuple[str, ...], chosen: frozenset[str] | None) -> tuple[bool, ...]:
    """For each of a kind's `fields`, whether a projection choosing `chosen` (None: all)
    reads it; a field not read is sent as null and built as None."""
    if chosen is None:
        return tuple(True for _ in fields)
    return tuple(f in ALWAYS_READ or f in chosen for f in fields)


# Records are immutable and a page repeats the same skills and issuers: building each once
# (frozen dataclasses cost a microsecond or two a field) is most of a projected page's Python
# time otherwise. Bounded, as the stores' own decode caches are.
_CACHED = 16384


@lru_cache(maxsize=_CACHED)
def _issuer(id: str, name: str, country: str | None, ctid: str | None, url: str | None) -> Issuer:
    return Issuer(id=id, name=name, country=country, ctid=ctid, url=url)


@lru_cache(maxsize=_CACHED)
def _skill_link(
    id: str, name: str, framework: str | None, uri: str | None, code: str | None
) -> SkillLink:
    return SkillLink(skill=Skill(id=id, name=name, framework=framework, uri=uri, code=code))


@lru_cache(maxsize=_CACHED)
def _occupation_link(
    id: str, name: str, framework: str | None, uri: str | None, code: str | None
) -> OccupationLink:
    return OccupationLink(
        occupation=Occupation(id=id, name=name, framework=framework, uri=uri, code=code)
    )


def issuer_of(values: Values) -> Issuer:
    return _issuer(*values)


def skill_link_of(values: Values) -> SkillLink:
    return _skill_link(*values)


def occupation_link_of(values: Values) -> OccupationLink:
    return _occupation_link(*values)


def part_of_in_order(stated: Sequence[str], stored: Iterable[str]) -> tuple[str, ...]:
    """The stored credentials a credential is part of (`stored`: the ends of its PART_OF
    links, which the larger credential's `hasPart` makes too): those its record states in
    its order, then the others by id."""
    ends = set(stored)
    own = [i for i in dict.fromkeys(stated) if i in ends]
    return (*own, *sorted(ends.difference(own)))


def in_record_order(order: Sequence[str], rows: Iterable[Values]) -> list[Values]:
    """`rows` (stored neighbours, id first) in the record's link order, each id once."""
    found = {row[0]: row for row in rows}
    return [found[i] for i in dict.fromkeys(order) if i in found]


def projected_view(
    credential: Values,
    issuer: Values | None = None,
    skills: Sequence[Values] = (),
    occupations: Sequence[Values] = (),
) -> CredentialView:
    """A view of a credential's flat fields and of the neighbours given (already in order),
    each a sequence of values in the order of `CREDENTIAL_FIELDS`, `ISSUER_FIELDS` and
    `NODE_FIELDS`: adapters pass their rows as they come, with no mapping built per node.
    """
    id, name, type, ctid, url, language, hours, amount, currency, transparency = credential
    record = Credential(
        id=id,
        name=name,
        type=CredentialType(type),
        ctid=ctid,
        url=url,
        language=language,
        duration_hours=hours,
        cost=None if amount is None else Money(amount, currency),
    )
    return CredentialView(
        credential=record,
        issuer=_issuer(*issuer) if issuer is not None else None,
        skills=tuple(_skill_link(*s) for s in skills),
        occupations=tuple(_occupation_link(*o) for o in occupations),
        accredited_by=(),
        part_of=(),
        has_part=(),
        requires=(),
        # Not read (a query that does not select it): no score to show, none is asked for.
        transparency=Transparency(0.0 if transparency is None else float(transparency), (), ()),
        provenance=(),
        first_seen=_UNREAD,
        last_seen=_UNREAD,
        stale=False,
    )
