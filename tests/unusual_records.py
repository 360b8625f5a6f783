"""Dataclasses whose constructor is not their fields by position: a keyword-only field, an
`InitVar`, a hand-written `__init__` taking the fields in another order. Code that rebuilds
records from their fields' values (`ingest.wire`, `model.copies`) must leave them to the
standard ways. Module-level, so pickle finds them."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class KeywordOnly:
    a: str
    b: str = dataclasses.field(default="b", kw_only=True)


@dataclasses.dataclass(frozen=True)
class WithInitVar:
    a: str
    seed: dataclasses.InitVar[str] = "x"
    b: str = "default-b"


@dataclasses.dataclass(frozen=True, init=False)
class SwappedInit:
    a: str
    b: str

    def __init__(self, b: str, a: str) -> None:
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "b", b)


# Each with a == "A" and b == "B".
UNUSUAL = [KeywordOnly("A", b="B"), WithInitVar("A", "X", "B"), SwappedInit(b="B", a="A")]
UNUSUAL_IDS = ["keyword-only", "init-var", "own-init"]
