"""How far a listing's `totalCount` is counted: exactly up to a bound, a lower bound past it.

Counting every match of a broad filter costs the filter's size (a million credentials: seconds);
counting at most `bound + 1` of them costs no more than reading that many index entries. Both
stores count through a query limited to `limit_for(bound)` rows and turn what it found into a
`Count` here, so every connection (credentials, issuers, skills, occupations and any listing
added later) reports the same semantics.
"""

from __future__ import annotations

from dataclasses import dataclass

from credgraph.config.env import count_from_env
from credgraph.errors import StoreURLError

COUNT_BOUND_VARIABLE = "CREDGRAPH_COUNT_BOUND"
DEFAULT_COUNT_BOUND = 10_000
_HIGHEST = 1_000_000_000


@dataclass(frozen=True, slots=True)
class Count:
    """`value` matches when `exact`; otherwise more than `value` match."""

    value: int
    exact: bool


def count_bound() -> int:
    """The bound from `CREDGRAPH_COUNT_BOUND` (default 10,000); raises StoreURLError naming
    the variable when it is not a whole number from 1 to a billion."""
    try:
        return count_from_env(COUNT_BOUND_VARIABLE, DEFAULT_COUNT_BOUND, low=1, high=_HIGHEST)
    except ValueError as exc:
        raise StoreURLError(str(exc)) from None


def limit_for(bound: int) -> int:
    """Rows a counting query reads: one past the bound tells 'more than the bound'."""
    return bound + 1


def bounded(counted: int, bound: int) -> Count:
    """What a counting query limited to `limit_for(bound)` rows found, as a Count."""
    if counted > bound:
        return Count(bound, exact=False)
    return Count(counted, exact=True)


NOT_COUNTED = Count(0, exact=True)  # a page whose count was not asked for
