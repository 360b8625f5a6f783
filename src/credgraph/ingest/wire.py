"""A parse result's way back from a parse worker: records pickled as their constructor's
arguments instead of as slot state.

Pickle rebuilds a frozen slots dataclass through the `__setstate__` dataclasses generates,
which walks `dataclasses.fields()` and sets each slot in Python for every credential, link,
skill and issuer of a page. Written here as `(type, field values)`, a record is rebuilt by
one call of its generated `__init__`: half the time both ways (bench/crawl_stages.py), and
the same records (`==`, same types). Only a dataclass whose constructor takes exactly its
fields by position (`model.copies.positional_fields`) and has no `__post_init__` (which would
run again) is written so; anything else keeps pickle's own way. The worker packs
(`packed(value)`); unpickling the package in the crawling process (on the pool's receiving
thread, not the event loop) unpacks it.

    value = packed(result)   # in the worker: what goes into the outcome it returns
"""

from __future__ import annotations

import io
import pickle
from typing import Any

from credgraph.model.copies import positional_fields

# Per type: the field names its constructor takes in order, or None when pickle's own way
# is kept (see the module docstring).
_FIELDS: dict[type, tuple[str, ...] | None] = {}
_UNSEEN: Any = object()


def _constructor_fields(tp: type) -> tuple[str, ...] | None:
    try:
        return _FIELDS[tp]
    except KeyError:
        pass
    names = None if hasattr(tp, "__post_init__") else positional_fields(tp)
    _FIELDS[tp] = names
    return names


class _RecordPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        tp = type(obj)
        names = _FIELDS.get(tp, _UNSEEN)
        if names is _UNSEEN:
            names = _constructor_fields(tp)
        if names is None:
            return NotImplemented
        return tp, tuple([getattr(obj, n) for n in names])


class _Packed:
    """A value pickled by `_RecordPickler`, unpacked when it is unpickled."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return pickle.loads, (self.data,)


def packed(value: Any) -> Any:
    """`value` as it should cross to the crawling process: unpickled there, it is `value`."""
    out = io.BytesIO()
    _RecordPickler(out, pickle.HIGHEST_PROTOCOL).dump(value)
    return _Packed(out.getvalue())


__all__ = ["packed"]
