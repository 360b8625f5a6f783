"""A parse result's way back from a parse worker: records pickled as their constructor's
arguments instead of as slot state.

Pickle rebuilds a frozen slots dataclass through the `__setstate__` dataclasses generates,
which walks `dataclasses.fields()` and sets each slot in Python, for every credential, link,
skill and issuer of a page: the crawling process spent more time unpickling a page's records
than linking them (bench/crawl_stages.py, py-spy). Written here as `(type, field values)`,
a record is rebuilt by one call of its generated `__init__`: half the time both ways, and the
same records (`==`, same types). The worker packs (`packed(value)`); unpickling the package
in the crawling process (on the pool's receiving thread, not the event loop) unpacks it.

    value = packed(result)   # in the worker: what goes into the outcome it returns
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from typing import Any

# Per type: the field names its constructor takes in order, or None when pickle's own way
# is kept (not a dataclass, a field outside __init__, a __post_init__ that would run again).
_FIELDS: dict[type, tuple[str, ...] | None] = {}
_UNSEEN: Any = object()


def _constructor_fields(tp: type) -> tuple[str, ...] | None:
    try:
        return _FIELDS[tp]
    except KeyError:
        pass
    names: tuple[str, ...] | None = None
    if dataclasses.is_dataclass(tp) and "__init__" in vars(tp) and not hasattr(tp, "__post_init__"):
        fields = dataclasses.fields(tp)
        if all(f.init for f in fields):
            names = tuple(f.name for f in fields)
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
