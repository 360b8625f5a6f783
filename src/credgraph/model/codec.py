"""Record <-> plain JSON mapping, in one place, and the content hash that detects change.

Stores keep each record's JSON document next to the columns/properties they index, and
rebuild records from it, so every adapter maps records the same way.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar

import orjson

R = TypeVar("R")

# Fields that say when or where we saw a record, not what it says: excluded from the hash so a
# re-crawl of the same content is "unchanged".
VOLATILE = frozenset({"provenance"})


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}
_STABLE_NAMES: dict[type, tuple[str, ...] | None] = {}
_ENUMS: set[type] = set()  # enum types seen so far


def _field_names(tp: type) -> tuple[str, ...] | None:
    """Field names of a dataclass type, None for any other type; cached either way."""
    try:
        return _FIELD_NAMES[tp]
    except KeyError:
        names = (
            tuple(f.name for f in dataclasses.fields(tp)) if dataclasses.is_dataclass(tp) else None
        )
        _FIELD_NAMES[tp] = names
        return names


def _stable_names(tp: type) -> tuple[str, ...] | None:
    """`_field_names` without the volatile ones."""
    try:
        return _STABLE_NAMES[tp]
    except KeyError:
        names = _field_names(tp)
        if names is not None:
            names = tuple(n for n in names if n not in VOLATILE)
        _STABLE_NAMES[tp] = names
        return names


# Records encoded already, by identity, for a batch whose records share embedded ones (a
# page's credentials share one issuer object and one object per skill): the record is kept
# beside its encoding, so its id is not reused while the entry lives.
Encoded = dict[int, tuple[object, Any]]


def to_json(record: Any, *, volatile: bool = True, shared: Encoded | None = None) -> Any:
    """A dataclass record as JSON-ready data; None and empty tuples are dropped.

    This runs for every record of every crawl and for every upsert's content hash, so it
    dispatches on the exact type first, caches each dataclass's field names (volatile ones
    left out up front), and copies scalar fields without a call per field. `shared`: a
    batch's memo of the records its records embed as fields (each encoded once, and its
    encoding shared, read-only, by every record that embeds it).
    """
    return _encode(record, _field_names if volatile else _stable_names, shared)


def _encode(
    record: Any,
    names_of: Callable[[type], tuple[str, ...] | None],
    shared: Encoded | None = None,
) -> Any:
    tp = type(record)
    if tp in _SCALARS:
        return record
    if tp is tuple or tp is list:
        return [v if type(v) in _SCALARS else _encode(v, names_of, shared) for v in record]
    names = names_of(tp)
    if names is not None:
        out: dict[str, Any] = {}
        for name in names:
            value = getattr(record, name)
            if value is None:
                continue
            vt = type(value)
            if vt in _SCALARS:
                out[name] = value
            elif vt is tuple:
                if value:
                    out[name] = [
                        v if type(v) in _SCALARS else _encode(v, names_of, shared) for v in value
                    ]
            elif vt in _ENUMS:
                out[name] = value.value
            elif shared is None:
                out[name] = _encode(value, names_of)
            else:
                hit = shared.get(id(value))
                if hit is None or hit[0] is not value:
                    hit = shared[id(value)] = (value, _encode(value, names_of, shared))
                out[name] = hit[1]
        return out
    if isinstance(record, enum.Enum):
        _ENUMS.add(tp)  # met again as a field, it is copied without a call
        return record.value
    if isinstance(record, (datetime, date)):
        return record.isoformat()
    if isinstance(record, (frozenset, set)):
        return sorted(_encode(v, names_of) for v in record)
    return record


def canonical_bytes(record: Any, shared: Encoded | None = None) -> bytes:
    """`canonical` as UTF-8 (a lone surrogate kept as surrogatepass writes it); `shared` as
    for `to_json`."""
    data = to_json(record, volatile=False, shared=shared)
    try:
        # The same text as json.dumps below for every valid record, about 8x faster; it
        # writes non-finite floats as null, and validation rejects them where they may appear.
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson.JSONEncodeError: a lone surrogate, an integer past 64 bits
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        return text.encode("utf-8", "surrogatepass")


def canonical(record: Any) -> str:
    """The canonical JSON of what a record says (not when or where we saw it)."""
    return canonical_bytes(record).decode("utf-8", "surrogatepass")


def dumps(record: Any) -> str:
    return json.dumps(to_json(record), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def content_hash(record: Any) -> str:
    """sha256 over the canonical JSON of what the record says (not when we saw it)."""
    return hashlib.sha256(canonical_bytes(record)).hexdigest()


Decoder = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _to_float(value: Any) -> Any:
    return float(value) if type(value) is int else value


@cache
def _decoder(tp: Any) -> Decoder:
    """A decoder specialised for one type hint, built once: decoding views is a hot path."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = _decoder(next(a for a in typing.get_args(tp) if a is not type(None)))
        return lambda v: None if v is None else inner(v)
    if origin is tuple:
        item = _decoder(typing.get_args(tp)[0])
        if item is _identity:
            return tuple
        return lambda v: tuple(item(x) for x in v)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        fields: list[tuple[str, Decoder]] = []  # filled on first use: types may be recursive

        def build(data: dict[str, Any]) -> Any:
            if not fields:
                hints = typing.get_type_hints(tp)
                fields.extend((f.name, _decoder(hints[f.name])) for f in dataclasses.fields(tp))
            return tp(**{name: dec(data[name]) for name, dec in fields if name in data})

        return build
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if tp is datetime:
        return datetime.fromisoformat
    if tp is date:
        return date.fromisoformat
    if tp is float:
        return _to_float
    return _identity


def from_json(cls: type[R], data: Any) -> R:
    """Rebuild a record of type `cls` from `to_json` output."""
    return typing.cast(R, None if data is None else _decoder(typing.cast(Any, cls))(data))
