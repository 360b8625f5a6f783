"""Checking and normalising query arguments: page sizes, the ways a node may be named, and
store query errors turned into GraphQL errors with the same message.

Every error raised here is an `InvalidArgument` (a GraphQLError with the extension code
`BAD_USER_INPUT`), so error masking can tell a client's mistake from an internal failure.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import GraphQLError

from credgraph.errors import InvalidQuery
from credgraph.model.ids import is_ctid, is_soc_code, normalise_uri, occupation_id

BAD_USER_INPUT = "BAD_USER_INPUT"


class InvalidArgument(GraphQLError):
    """An argument the client sent is not acceptable; the message says which and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": BAD_USER_INPUT})


@contextlib.contextmanager
def client_errors() -> Iterator[None]:
    """Report a store's InvalidQuery (bad cursor, filter, page size) as an InvalidArgument."""
    try:
        yield
    except InvalidQuery as exc:
        raise InvalidArgument(str(exc)) from exc


def page_size(first: int, cap: int, name: str = "first") -> int:
    """`first` when it is between 0 and `cap`, else an InvalidArgument naming the limit."""
    if first < 0:
        raise InvalidArgument(f"`{name}` must be 0 or more, got {first}")
    if first > cap:
        raise InvalidArgument(f"`{name}` is {first}, over the limit of {cap} per request")
    return first


def canonical_key(key: str) -> str:
    """How the graph spells an id given in another common form: CTIDs in lower case, URIs
    normalised (`HTTPS://Example.org/x/` -> `https://example.org/x`). Others as given."""
    text = key.strip()
    if is_ctid(text):
        return text.lower()
    if text[:8].lower().startswith(("http://", "https://")):
        with contextlib.suppress(ValueError):
            return normalise_uri(text)
    return text


def node_keys(key: str) -> list[str]:
    """Ids to try, in order, for an issuer or skill named by id, CTID or URI."""
    return list(dict.fromkeys([key, canonical_key(key)]))


def occupation_keys(key: str) -> list[str]:
    """Ids to try for an occupation: also an O*NET-SOC code (`15-2051.00` or `15-2051`)."""
    keys = node_keys(key)
    if is_soc_code(key):
        keys.append(occupation_id(uri=None, framework=None, code=key, label=None))
    return list(dict.fromkeys(keys))


def canonical_occupation(key: str) -> str:
    """The one id an occupation filter matches: a bare SOC code becomes `onet:<code>`."""
    return occupation_keys(key)[-1] if is_soc_code(key) else canonical_key(key)


def unset_to_none(values: Any) -> None:
    """Input fields left out arrive as strawberry's UNSET; read them as None. (Inputs
    default to UNSET so that the SDL shows `text: String`, not `text: String = null`.)"""
    for field in dataclasses.fields(values):
        if getattr(values, field.name) is strawberry.UNSET:
            object.__setattr__(values, field.name, None)
