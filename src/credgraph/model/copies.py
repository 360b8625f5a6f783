"""`replaced(record, **changes)`: `dataclasses.replace` for the records the crawl copies on
every credential (linking sets each credential's skill and occupation links).

Each type's fields are read in one C call (`attrgetter`) and passed to its constructor by
position, instead of `dataclasses.replace`'s walk of every field by keyword: the same record
(the same `__init__`, `__post_init__` included) in about half the time for a credential's
forty fields. Only a dataclass whose constructor takes exactly its fields, in order, each
by position or keyword (`positional_fields`), is copied so; any other type (keyword-only
fields, an `InitVar`, a field outside `__init__`, a hand-written `__init__`) goes to
`dataclasses.replace`, which also says what is wrong with a bad change.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

R = TypeVar("R")

# Per type: its init fields' values in one call, and each field's position among them.
_Plan = tuple[Callable[[Any], tuple[Any, ...]], dict[str, int]]
_PLANS: dict[type, _Plan | None] = {}


def positional_fields(tp: type) -> tuple[str, ...] | None:
    """The field names of the dataclass `tp` when its constructor takes exactly those, in
    that order, each by position or keyword (so `tp(*values)` rebuilds a record from its
    fields' values); None for any other type."""
    if not isinstance(tp, type) or not dataclasses.is_dataclass(tp):
        return None
    names = tuple(f.name for f in dataclasses.fields(tp))
    try:
        parameters = list(inspect.signature(tp).parameters.values())
    except (TypeError, ValueError):
        return None
    if tuple(p.name for p in parameters) != names or any(
        p.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters
    ):
        return None
    return names


def _plan(tp: type) -> _Plan | None:
    names = positional_fields(tp)
    plan: _Plan | None = None
    if names is not None and len(names) > 1:
        plan = (attrgetter(*names), {n: i for i, n in enumerate(names)})
    _PLANS[tp] = plan
    return plan


def replaced(record: R, /, **changes: Any) -> R:
    """A copy of the dataclass `record` with the fields named in `changes` set."""
    tp = type(record)
    plan = _PLANS[tp] if tp in _PLANS else _plan(tp)
    if plan is None or not changes.keys() <= plan[1].keys():
        return dataclasses.replace(record, **changes)  # type: ignore[type-var]
    getter, position = plan
    values = list(getter(record))
    for name, value in changes.items():
        values[position[name]] = value
    return tp(*values)
