"""Random damage for parser robustness tests: a JSON value with fields replaced by odd values,
removed, or damaged further down."""

from __future__ import annotations

import copy
import random
from typing import Any

ODD_VALUES: list[Any] = [
    None,
    0,
    -1,
    1.5,
    True,
    "",
    " ",
    "x",
    "http://",
    "https://a.example/b",
    "/rel",
    "?q",
    "urn:x",
    [],
    {},
    [1],
    {"a": None},
    "15-1252",
    "<b>x</b>",
    "\u0000",
    "a" * 3000,
]


def damaged(value: Any, rng: random.Random) -> Any:
    """The value with one field replaced, removed or damaged further down."""
    if isinstance(value, dict) and value:
        key = rng.choice(list(value))
        roll = rng.random()
        if roll < 0.4:
            value[key] = copy.deepcopy(rng.choice(ODD_VALUES))
        elif roll < 0.6:
            del value[key]
        else:
            value[key] = damaged(value[key], rng)
        return value
    if isinstance(value, list) and value:
        index = rng.randrange(len(value))
        value[index] = (
            damaged(value[index], rng)
            if rng.random() < 0.5
            else copy.deepcopy(rng.choice(ODD_VALUES))
        )
        return value
    return copy.deepcopy(rng.choice(ODD_VALUES))
