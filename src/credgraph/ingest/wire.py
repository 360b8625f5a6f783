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
from collections.abc import Callable
from operator import attrgetter
from typing import Any

from credgraph.model.copies import positional_fields

# Per type: what reads the arguments its constructor takes, in order, as a tuple (one C
# call: a crawl packs every credential a parse worker sends back), or None when pickle's own
# way is kept (see the module docstring).
_ARGUMENTS: dict[type, Callable[[Any], tuple[Any, ...]] | None] = {}
_UNSEEN: Any = object()


def _constructor_arguments(tp: type) -> Callable[[Any], tuple[Any, ...]] | None:
    try:
        return _ARGUMENTS[tp]
    except KeyError:
        pass
    names = None if hasattr(tp, "__post_init__") else positional_fields(tp)
    read = None if names is None else _reader(names)
    _ARGUMENTS[tp] = read
    return read


def _reader(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) > 1:
        return attrgetter(*names)
    # attrgetter of one name answers the value itself, not a tuple of it (and of none, fails)
    return lambda obj: tuple([getattr(obj, n) for n in names])


class _RecordPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        tp = type(obj)
        read = _ARGUMENTS.get(tp, _UNSEEN)
        if read is _UNSEEN:
            read = _constructor_arguments(tp)
        if read is None:
            return NotImplemented
        return tp, read(obj)


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
