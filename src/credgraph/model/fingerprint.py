"""A record's fingerprint: a short digest of what it says, that stores compare with the one
they keep to tell an unchanged record from a changed one without encoding its document.

The canonical document (`codec.canonical`) walks every field in Python and sorts every key;
an unchanged re-crawl of a million credentials spent most of its time there. The fingerprint
reads each dataclass's fields in one C call (`operator.attrgetter`), descends only where a
field's type may hold a record, a float or a set, and leaves the encoding of the nested
lists of values to orjson. Fields are positional (each type's fields in declaration order),
so two records with different stored content never give the same bytes to hash; volatile
fields (provenance) are left out at every depth, as in the document.

A record orjson cannot encode (a lone surrogate, an integer past 64 bits) is fingerprinted
over its canonical document instead: still deterministic, and such a record is invalid or rare.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import math
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from operator import attrgetter
from typing import Any

import orjson

from credgraph.model import codec

# Values orjson encodes as they are and that need no look: a field declared only with these
# types (or tuples of them) is not descended into.
_PLAIN = frozenset({str, int, bool, type(None)})
_Plan = tuple[Callable[[Any], tuple[Any, ...]], tuple[int, ...]]
_PLANS: dict[type, _Plan | None] = {}
_UNKNOWN: Any = object()  # a type not planned yet


def fingerprint(record: Any) -> bytes:
    """16 bytes that change whenever anything stored of `record` (its document, hence its
    columns and links) changes. Deterministic across processes and runs."""
    try:
        data = orjson.dumps(_flat(record))
    except (TypeError, ValueError, RecursionError):
        # orjson.JSONEncodeError is a TypeError. The leading 0 byte keeps this encoding apart
        # from every orjson one, which starts with '[' or a scalar.
        data = b"\0" + codec.canonical(record).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).digest()


def _plain_hint(hint: Any) -> bool:
    """Whether every value a field declared `hint` may hold passes through `_flat` unchanged."""
    if hint in _PLAIN or (isinstance(hint, type) and issubclass(hint, enum.Enum)):
        return True
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return all(_plain_hint(a) for a in typing.get_args(hint))
    if origin is tuple:
        return all(_plain_hint(a) for a in typing.get_args(hint) if a is not Ellipsis)
    return False


def _plan(tp: type) -> _Plan | None:
    """How to read a dataclass type: its stable fields in one call, and the positions of the
    fields whose values may need `_flat` (records, floats, sets, dates). None: not a dataclass."""
    try:
        return _PLANS[tp]
    except KeyError:
        pass
    plan: _Plan | None = None
    if dataclasses.is_dataclass(tp):
        names = [f.name for f in dataclasses.fields(tp) if f.name not in codec.VOLATILE]
        hints = typing.get_type_hints(tp)
        getter: Callable[[Any], tuple[Any, ...]]
        if len(names) == 1:  # attrgetter of one name returns the value, not a tuple
            only = names[0]
            getter = lambda r: (getattr(r, only),)  # noqa: E731
        else:
            getter = attrgetter(*names)
        plan = (getter, tuple(i for i, n in enumerate(names) if not _plain_hint(hints[n])))
    _PLANS[tp] = plan
    return plan


def _flat(value: Any) -> Any:
    """`value` as nested lists of values orjson encodes (records by field position)."""
    tp = type(value)
    plan = _PLANS.get(tp, _UNKNOWN)
    if plan is _UNKNOWN:
        plan = _plan(tp)
    if plan is not None:
        getter, look = plan
        values = getter(value)
        if not look:
            return values
        out = list(values)
        for i in look:
            v = out[i]
            if not v:  # None, (), 0 and "" are encoded as they are
                continue
            vt = type(v)
            if vt is tuple:
                out[i] = [x if type(x) in _PLAIN else _flat(x) for x in v]
            elif vt is float:
                if not math.isfinite(v):
                    out[i] = repr(v)
            elif vt not in _PLAIN:
                inner = _PLANS.get(vt)
                # a record of plain fields (a skill, an occupation): read without a call
                out[i] = inner[0](v) if inner is not None and not inner[1] else _flat(v)
        return out
    if tp in _PLAIN:
        return value
    if tp is float:
        # orjson writes NaN and infinities as null, which is also None: a record must not
        # look unchanged by turning a stored None into NaN (which validation rejects).
        return value if math.isfinite(value) else repr(value)
    if tp is tuple or tp is list:
        return [v if type(v) in _PLAIN else _flat(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (frozenset, set)):
        return sorted(_flat(v) for v in value)
    return value  # anything else: orjson encodes it or raises, and the fallback takes over
