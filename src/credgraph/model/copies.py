"""`replaced(record, **changes)`: `dataclasses.replace` for the records the crawl copies on
every credential (linking sets each credential's skill and occupation links).

`dataclasses.replace` walks `dataclasses.fields()` and passes every field by keyword on each
call; a credential has about forty fields, and linking a page of 100 cost the crawl more
than resolving its links. Here each type's fields are read in one C call (`attrgetter`) and
passed by position: the same record (the same `__init__`, `__post_init__` included), in
about half the time. A type that is not a dataclass of init fields goes to
`dataclasses.replace`, which says what is wrong.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

R = TypeVar("R")

# Per type: its init fields' values in one call, and each field's position among them.
_Plan = tuple[Callable[[Any], tuple[Any, ...]], dict[str, int]]
_PLANS: dict[type, _Plan | None] = {}


def _plan(tp: type) -> _Plan | None:
    plan: _Plan | None = None
    if dataclasses.is_dataclass(tp):
        fields = dataclasses.fields(tp)
        if len(fields) > 1 and all(f.init for f in fields):
            names = [f.name for f in fields]
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
