"""Checking and normalising query arguments: page sizes, list lengths, cursors, the ways a
node may be named, and store query errors turned into GraphQL errors with the same message.

Every error raised here is an `InvalidArgument` (a GraphQLError with the extension code
`BAD_USER_INPUT`), so error masking can tell a client's mistake from an internal failure.

Limits on what one argument may hold, checked before a store sees it:

* a list in a filter or export selection holds at most `MAX_LISTED` (100) items; export
  seeds and the lists of the comparison questions keep their own caps (500, 20, 500);
* a cursor (`after`) is at most `MAX_CURSOR_CHARS` characters of base64 over a flat JSON
  array, as the stores write them; anything else "is not a valid cursor" before a store
  decodes it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

import orjson
import strawberry
from graphql import GraphQLError

from credgraph.errors import InvalidQuery, QueryTimeout
from credgraph.model.ids import (
    is_ctid,
    is_soc_code,
    key_spellings,
    normalise_uri,
    occupation_id,
    onet_page_code,
)
from credgraph.model.validation import MAX_ID, MAX_NAME

BAD_USER_INPUT = "BAD_USER_INPUT"
MAX_LISTED = 100  # items in one list of a filter or selection: each item is work for a store
# A cursor holds a sort key (a name at most) and an id, each character escaped to at most
# 12 bytes of JSON (a surrogate pair), in base64: a longer token was never written by a store.
MAX_CURSOR_CHARS = (12 * (MAX_NAME + MAX_ID) + 64) * 4 // 3
T = TypeVar("T")


class InvalidArgument(GraphQLError):
    """An argument the client sent is not acceptable; the message says which and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": BAD_USER_INPUT})


@contextlib.contextmanager
def client_errors() -> Iterator[None]:
    """Report a store's InvalidQuery (bad cursor, filter, page size) as an InvalidArgument,
    and a read the store stopped at its deadline as a TIMEOUT (503, as an operation timeout)."""
    try:
        yield
    except QueryTimeout as exc:
        raise GraphQLError(str(exc), extensions={"code": "TIMEOUT"}) from exc
    except InvalidQuery as exc:
        raise InvalidArgument(str(exc)) from exc
    except RecursionError as exc:
        # Only a client's value read recursively (a cursor's JSON) nests this deep; the
        # store's own data never does, so the input is at fault, not the server.
        raise InvalidArgument(
            "not a valid cursor or argument: nested too deeply; start again without `after`"
        ) from exc


def listed(values: Sequence[T] | None, name: str, cap: int = MAX_LISTED) -> Sequence[T] | None:
    """`values` when it holds at most `cap` items, else an InvalidArgument naming the argument,
    its length and the limit."""
    if values is not None and len(values) > cap:
        raise InvalidArgument(f"`{name}` lists {len(values)} items, over the limit of {cap}")
    return values


def checked_cursor(after: str | None) -> str | None:
    """`after` when it reads as a cursor a store wrote (base64 of a flat JSON array), else an
    InvalidArgument worded as the store's ("cursor ... is not a valid cursor"). The store
    decodes it again; this keeps a token that is huge, or nested so deep that the store's
    decoder would recurse past the interpreter's limit, from reaching it."""
    if not after:
        return after
    shown = ascii(after[:40])
    if len(after) > MAX_CURSOR_CHARS:
        raise InvalidArgument(
            f"cursor {shown}... is not a valid cursor: {len(after)} characters, longer than "
            f"any cursor ({MAX_CURSOR_CHARS}); start again without `after`"
        )
    try:
        # orjson stops at a fixed nesting depth with an error, never a RecursionError.
        data = orjson.loads(base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)))
    except (ValueError, binascii.Error):
        data = None
    if not _flat_cursor(data):
        raise InvalidArgument(
            f"cursor {shown} is not a valid cursor (not one a previous page gave); start again "
            "without `after`"
        )
    return after


def _flat_cursor(data: Any) -> bool:
    """(sort, descending, value, id): four plain values, as `Cursor.encode` writes them."""
    return (
        isinstance(data, list)
        and len(data) == 4
        and not any(isinstance(v, list | dict) for v in data)
    )


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
    """Ids to try, in order, for an issuer or skill named by id, CTID or URI (a site's root
    with and without its slash)."""
    return key_spellings(key)


def occupation_keys(key: str) -> list[str]:
    """Ids to try for an occupation: also an O*NET-SOC code (`15-2051.00` or `15-2051`), or
    the O*NET OnLine page an O*NET occupation gives as its URI."""
    keys = node_keys(key)
    code = _soc_code(key)
    if code is not None:
        keys.append(occupation_id(uri=None, framework=None, code=code, label=None))
    return list(dict.fromkeys(keys))


def canonical_occupation(key: str) -> str:
    """The one id an occupation filter matches: a bare SOC code (or an O*NET OnLine page)
    becomes `onet:<code>`."""
    return occupation_keys(key)[-1] if _soc_code(key) is not None else canonical_key(key)


def _soc_code(key: str) -> str | None:
    return key.strip() if is_soc_code(key) else onet_page_code(key)


def unset_to_none(values: Any) -> None:
    """Input fields left out arrive as strawberry's UNSET; read them as None. (Inputs
    default to UNSET so that the SDL shows `text: String`, not `text: String = null`.)"""
    for field in dataclasses.fields(values):
        if getattr(values, field.name) is strawberry.UNSET:
            object.__setattr__(values, field.name, None)
