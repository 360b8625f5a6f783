"""API objects shared by every request that meets the same record object.

A page of 50 credentials carries some 400 skill links, and projected views share their
records (`credgraph.store.projected` builds each skill once and keeps it): building a new
API object per link per request was about a tenth of a page's CPU. `SharedByRecord` keeps
the API object built for a record object, by identity, for as long as it keeps the record
(so an id is never reused while it is kept), the oldest dropped past `size`.
API objects are never changed after they are built, so sharing them is safe; a record
decoded anew (a whole view) simply builds its own.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

M = TypeVar("M")
T = TypeVar("T")


class SharedByRecord(Generic[M, T]):
    """`build(record)`, once per record object (see the module docstring)."""

    def __init__(self, build: Callable[[M], T], size: int = 16384) -> None:
        self.build = build
        self.size = size
        self.kept: OrderedDict[int, tuple[M, T]] = OrderedDict()

    def __call__(self, record: M) -> T:
        key = id(record)
        found = self.kept.get(key)
        if found is not None and found[0] is record:
            return found[1]
        built = self.build(record)
        self.kept[key] = (record, built)
        if len(self.kept) > self.size:
            self.kept.popitem(last=False)
        return built
