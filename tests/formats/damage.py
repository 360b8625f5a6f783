"""Random damage for parser robustness tests: a JSON value with fields replaced by odd values,
removed, or damaged further down."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
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


def damaged_bodies(path: Path, count: int = 150) -> Iterator[str]:
    """`count` damaged copies of a JSON sample (one to six damages each), as text;
    seeded by the file name so every run tries the same documents."""
    rng = random.Random(path.name)
    original = json.loads(path.read_text(encoding="utf-8"))
    for _ in range(count):
        body = copy.deepcopy(original)
        for _ in range(rng.randint(1, 6)):
            body = damaged(body, rng)
        yield json.dumps(body)
