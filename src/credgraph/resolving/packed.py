"""Compact containers for the name index: many small strings or int lists kept as a few flat
buffers.

At a million credentials the name index held some ten million small Python objects (a list
of postings per word, a tuple per form, an int per credential number, a record per
credential): each costs 28-100 bytes of header beside a few bytes of content, and the cyclic
collector tracks the containers among them. Here the content lives in a few `bytearray`s and
`array`s, and the objects a query reads (a string, a slice of credential numbers) are made
when it reads them.

    texts = Texts(["AWS Certified Cloud Practitioner", ...]); texts[0]
    runs = Runs(); runs.append([3, 8, 12]); runs[0]  # array('I', [3, 8, 12])
    keys: Shards[int] = Shards(); keys["aws saa"] = 7; keys.get("aws saa")

Building them holds the GIL only briefly at a time, which the event loop sharing the
process waits on: a dict or set of millions of keys grows by copying itself whole into a
table twice its size in one C call (90 ms for a dict of two million keys, 170 ms for a set,
at a million credentials), so the large ones are split in `SHARDS` (`Shards`, `SetShards`).
"""

from __future__ import annotations

from array import array
from collections.abc import Collection, Iterable, Iterator
from itertools import chain
from typing import Generic, TypeVar

SHARDS = 64  # a 64th of two million keys grows in well under a millisecond
V = TypeVar("V")


def start_of(ends: array[int], n: int) -> int:
    """Where the n-th of items kept one after another begins, given where each ends."""
    return ends[n - 1] if n > 0 else 0


# Surrogates a str may hold survive the round trip (UTF-8 proper would refuse them).
_ENCODING, _ERRORS = "utf-8", "surrogatepass"


class Texts:
    """Strings kept as one UTF-8 buffer and where each ends: a credential's id costs its bytes
    and eight more, not a str object (49 bytes of header, a pointer, and a record around it).
    One non-Latin-1 name would widen a joined str to 2 or 4 bytes a character, UTF-8 does
    not."""

    __slots__ = ("_buffer", "_ends")

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self._buffer = bytearray()
        self._ends = array("Q")
        for text in texts:
            self.append(text)

    def append(self, text: str) -> None:
        self._buffer += text.encode(_ENCODING, _ERRORS)
        self._ends.append(len(self._buffer))

    def __getitem__(self, n: int) -> str:
        return self._buffer[start_of(self._ends, n) : self._ends[n]].decode(_ENCODING, _ERRORS)

    def __len__(self) -> int:
        return len(self._ends)

    def __iter__(self) -> Iterator[str]:
        return (self[n] for n in range(len(self)))


class Runs:
    """Runs of unsigned ints (each below 2**32) one after another in one array, the n-th
    addressed by where it ends: a list of a few ints costs 4 bytes each and 8 for its end,
    not a list object and a pointer (and an int object) each."""

    __slots__ = ("_ends", "_values")

    def __init__(self) -> None:
        self._values = array("I")
        self._ends = array("Q")

    def append(self, run: Iterable[int]) -> None:
        self._values.extend(run)
        self._ends.append(len(self._values))

    def __getitem__(self, n: int) -> array[int]:
        return self._values[start_of(self._ends, n) : self._ends[n]]

    def length(self, n: int) -> int:
        return self._ends[n] - start_of(self._ends, n)

    def __len__(self) -> int:
        return len(self._ends)


class _Split:
    """What a dict and a set split by their keys' hashes share (`Shards`, `SetShards`)."""

    __slots__ = ("_parts",)
    _parts: tuple[Collection[str], ...]

    def __contains__(self, key: object) -> bool:
        return key in self._parts[hash(key) % SHARDS]

    def __len__(self) -> int:
        return sum(len(part) for part in self._parts)

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(self._parts)


class Shards(_Split, Generic[V]):
    """A dict split in `SHARDS` by its keys' hashes. Iterates shard after shard, not in the
    order keys came."""

    __slots__ = ()
    _parts: tuple[dict[str, V], ...]

    def __init__(self) -> None:
        self._parts = tuple({} for _ in range(SHARDS))

    # Each method finds its shard itself: matching looks words up by the thousand per line.
    def get(self, key: str) -> V | None:
        return self._parts[hash(key) % SHARDS].get(key)

    def __getitem__(self, key: str) -> V:
        return self._parts[hash(key) % SHARDS][key]

    def __setitem__(self, key: str, value: V) -> None:
        self._parts[hash(key) % SHARDS][key] = value

    def setdefault(self, key: str, value: V) -> V:
        return self._parts[hash(key) % SHARDS].setdefault(key, value)

    def discard(self, key: str) -> None:
        self._parts[hash(key) % SHARDS].pop(key, None)

    def items(self) -> Iterator[tuple[str, V]]:
        return chain.from_iterable(part.items() for part in self._parts)


class SetShards(_Split):
    """A set of strings split in `SHARDS` by their hashes (see `Shards`)."""

    __slots__ = ()
    _parts: tuple[set[str], ...]

    def __init__(self) -> None:
        self._parts = tuple(set() for _ in range(SHARDS))

    def add(self, text: str) -> None:
        self._parts[hash(text) % SHARDS].add(text)
