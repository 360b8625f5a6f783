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
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar

R = TypeVar("R")

# Fields that say when or where we saw a record, not what it says: excluded from the hash so a
# re-crawl of the same content is "unchanged".
_VOLATILE = frozenset({"provenance"})


def to_json(record: Any, *, volatile: bool = True) -> Any:
    """A dataclass record as JSON-ready data; empty and None fields are dropped."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(record):
            if not volatile and f.name in _VOLATILE:
                continue
            value = to_json(getattr(record, f.name), volatile=volatile)
            if value is None or value == [] or value == ():
                continue
            out[f.name] = value
        return out
    if isinstance(record, enum.Enum):
        return record.value
    if isinstance(record, datetime):
        return record.isoformat()
    if isinstance(record, date):
        return record.isoformat()
    if isinstance(record, (tuple, list)):
        return [to_json(v, volatile=volatile) for v in record]
    if isinstance(record, (frozenset, set)):
        return sorted(to_json(v, volatile=volatile) for v in record)
    return record


def dumps(record: Any) -> str:
    return json.dumps(to_json(record), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def content_hash(record: Any) -> str:
    """sha256 over the canonical JSON of what the record says (not when we saw it)."""
    canonical = json.dumps(
        to_json(record, volatile=False), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_json(cls: type[R], data: Any) -> R:
    """Rebuild a record of type `cls` from `to_json` output."""
    return typing.cast(R, _decode(cls, data))


def _decode(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(inner[0], data)
    if origin is tuple:
        (item_type, _ellipsis) = typing.get_args(tp)
        return tuple(_decode(item_type, v) for v in data)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {
            f.name: _decode(hints[f.name], data[f.name])
            for f in dataclasses.fields(tp)
            if f.name in data
        }
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if tp is datetime:
        return datetime.fromisoformat(data)
    if tp is float and isinstance(data, int):
        return float(data)
    return data
