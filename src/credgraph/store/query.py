"""Query inputs shared by every store: credential filters, sort orders, keyset cursors."""

from __future__ import annotations

import base64
import binascii
import enum
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from credgraph.errors import InvalidQuery
from credgraph.model.values import CredentialType, NodeKind

MAX_PAGE_SIZE = 1000
# Words of a search or a text filter a store reads, the first ones: on both stores alike, so
# a long text finds the same nodes on either (the API's descriptions say so).
MAX_TEXT_WORDS = 16


class SortField(enum.StrEnum):
    NAME = "NAME"
    COST = "COST"
    HOURS = "HOURS"
    TRANSPARENCY = "TRANSPARENCY"
    SKILL_COUNT = "SKILL_COUNT"
    OCCUPATION_COUNT = "OCCUPATION_COUNT"
    LAST_SEEN = "LAST_SEEN"


# Fields that can be unknown. Unknown values sort after known ones in both directions.
NULLABLE_SORTS = frozenset({SortField.COST, SortField.HOURS})


@dataclass(frozen=True, slots=True)
class CredentialFilter:
    """Every condition must hold. `skills` and `occupations` mean *all of* the given ids.

    `max_cost` compares amounts regardless of currency (no exchange rates are applied).
    """

    text: str | None = None
    issuer: str | None = None
    types: tuple[CredentialType, ...] = ()
    skills: tuple[str, ...] = ()
    occupations: tuple[str, ...] = ()
    max_cost: float | None = None
    max_hours: float | None = None
    min_transparency: float | None = None
    exclude_stale: bool = False


@dataclass(frozen=True, slots=True)
class CredentialSort:
    field: SortField = SortField.NAME
    descending: bool = False


# One encoder for every cursor: `json.dumps` with separators builds a new one per call, a
# cost each row of a page paid.
_COMPACT = json.JSONEncoder(separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Cursor:
    """A position in one sort order: the sort key value and id of the last item seen."""

    sort: str
    descending: bool
    value: Any
    id: str

    def encode(self) -> str:
        raw = _COMPACT.encode([self.sort, self.descending, self.value, self.id])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @staticmethod
    def decode(token: str, *, sort: str, descending: bool) -> Cursor:
        try:
            padded = token + "=" * (-len(token) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode()))
            name, desc, value, last_id = data
        except (ValueError, binascii.Error, TypeError, UnicodeDecodeError, RecursionError) as exc:
            # RecursionError: a forged token of thousands of nested arrays (the API refuses
            # such tokens first; a store called directly must not fail with a crash either).
            raise InvalidQuery(f"cursor {token[:40]!r} is not a valid cursor") from exc
        if name != sort or desc != descending or not isinstance(last_id, str):
            raise InvalidQuery(
                f"cursor {token[:40]!r} belongs to another sort order; start again without `after`"
            )
        if value is not None and not isinstance(value, (str, int, float)):
            raise InvalidQuery(f"cursor {token[:40]!r} is not a valid cursor")
        # A crafted cursor's integer past 64 bits would overflow the database's integers.
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            raise InvalidQuery(f"cursor {token[:40]!r} is not a valid cursor")
        return Cursor(name, desc, value, last_id)


def check_page_size(first: int) -> int:
    if not isinstance(first, int) or isinstance(first, bool) or first < 0:
        raise InvalidQuery(f"page size {first!r} must be a whole number of 0 or more")
    if first > MAX_PAGE_SIZE:
        raise InvalidQuery(f"page size {first} is over the limit of {MAX_PAGE_SIZE}")
    return first


def check_filter(f: CredentialFilter) -> CredentialFilter:
    for name in ("max_cost", "max_hours", "min_transparency"):
        value = getattr(f, name)
        if value is not None and (
            not isinstance(value, (int, float)) or isinstance(value, bool) or value != value
        ):
            raise InvalidQuery(f"filter {name} must be a number, got {value!r}")
    for t in f.types:
        if not isinstance(t, CredentialType):
            raise InvalidQuery(f"filter types: {t!r} is not a credential type")
    return f


SEARCHABLE = (NodeKind.CREDENTIAL, NodeKind.ISSUER, NodeKind.SKILL, NodeKind.OCCUPATION)


# -- listings of issuers, skills and occupations ------------------------------------------------

NAME_SORT = SortField.NAME.value


def name_cursor(after: str | None) -> Cursor | None:
    """The position a node listing resumes after: (name_key, id), ascending."""
    if not after:
        return None
    cursor = Cursor.decode(after, sort=NAME_SORT, descending=False)
    if not isinstance(cursor.value, str):
        raise InvalidQuery(f"cursor {after[:40]!r} is not a valid cursor")
    return cursor


def country_key(country: str) -> str:
    """Countries as sources state them compare ignoring case and surrounding space."""
    return country.strip().casefold()


def matching_values(stored: list[str | None], wanted: str, key: Callable[[str], str]) -> list[str]:
    """The stored values of a property that mean `wanted` under `key` (such as every spelling
    of a framework), so a store can filter with an exact `IN` on the property."""
    target = key(wanted)
    return sorted({v for v in stored if v is not None and key(v) == target})
