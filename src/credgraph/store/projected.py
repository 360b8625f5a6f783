"""Credential views read under a projection, built from flat columns (SQLite) or properties
(Neo4j) instead of whole JSON documents; shared by every adapter so both build the same view.

The neighbours come as flat rows too, and are listed in the record's own order (kept at write
time as `skill_ids`/`occupation_ids`), each id once, leaving out ids with no stored node: the
same links, in the same order, as a whole view has.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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

Row = Mapping[str, Any]

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


def issuer_of(row: Row) -> Issuer:
    return _issuer(row["id"], row["name"], row["country"], row["ctid"], row["url"])


def skill_link_of(row: Row) -> SkillLink:
    return _skill_link(row["id"], row["name"], row["framework"], row["uri"], row["code"])


def occupation_link_of(row: Row) -> OccupationLink:
    return _occupation_link(row["id"], row["name"], row["framework"], row["uri"], row["code"])


def in_record_order(order: Sequence[str], rows: Iterable[Row]) -> list[Row]:
    """`rows` (stored neighbours) in the record's link order, each id once."""
    found = {row["id"]: row for row in rows}
    return [found[i] for i in dict.fromkeys(order) if i in found]


def projected_view(
    credential: Row,
    issuer: Row | None = None,
    skills: Sequence[Row] = (),
    occupations: Sequence[Row] = (),
) -> CredentialView:
    """A view of a credential's flat fields and of the neighbours given (already in order).

    `credential` holds id, name, type, ctid, url, language, duration_hours, cost_amount,
    cost_currency and transparency.
    """
    amount = credential["cost_amount"]
    record = Credential(
        id=credential["id"],
        name=credential["name"],
        type=CredentialType(credential["type"]),
        ctid=credential["ctid"],
        url=credential["url"],
        language=credential["language"],
        duration_hours=credential["duration_hours"],
        cost=None if amount is None else Money(amount, credential["cost_currency"]),
    )
    return CredentialView(
        credential=record,
        issuer=issuer_of(issuer) if issuer is not None else None,
        skills=tuple(skill_link_of(s) for s in skills),
        occupations=tuple(occupation_link_of(o) for o in occupations),
        accredited_by=(),
        part_of=(),
        has_part=(),
        requires=(),
        transparency=Transparency(float(credential["transparency"]), (), ()),
        provenance=(),
        first_seen=_UNREAD,
        last_seen=_UNREAD,
        stale=False,
    )
