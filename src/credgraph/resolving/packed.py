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
    words = NumberedTexts(["aws", "saa"]); words.number("saa"); words[1]  # 1, "saa"
    table = TextTable(); table.add("aws saa", 7); table.settle(); table.get("aws saa")  # [7]
    pairs = IntSet(); pairs.add(3 << 32 | 8); pairs.settle(); (3 << 32 | 8) in pairs

Building them holds the GIL only briefly at a time, which the event loop sharing the
process waits on: a dict or set of millions of keys grows by copying itself whole into a
table twice its size in one C call (90 ms for a dict of two million keys, 170 ms for a set,
at a million credentials), so the large ones are split in `SHARDS` (`Shards`), and the
sorted arrays (`TextTable`, `IntSet`) are sorted a part at a time.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator
from itertools import chain
from typing import Generic, TypeVar

SHARDS = 64  # a 64th of two million keys grows in well under a millisecond
# An `IntSet`'s part is sorted and rid of repeats in one C call holding the GIL, each time it
# has doubled, and its parts double at about the same time: at 1M credentials, while the word
# pairs were added in 64 parts, the event loop waited 150-540 ms at a time, several in a row, no
# collection running (load 6-9). A 256th is a quarter of the work a call (an array a part).
SET_PARTS = 256
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
        ends = self._ends  # `start_of` written out: matching reads words by the thousand
        return self._buffer[ends[n - 1] if n > 0 else 0 : ends[n]].decode(_ENCODING, _ERRORS)

    def __len__(self) -> int:
        return len(self._ends)

    def __iter__(self) -> Iterator[str]:
        return (self[n] for n in range(len(self)))

    def reordered(self, order: Iterable[int]) -> Texts:
        """These strings in `order` (their numbers), copied as bytes: none is decoded."""
        out = Texts()
        buffer, ends, into, out_ends = self._buffer, self._ends, out._buffer, out._ends
        for n in order:
            into += buffer[start_of(ends, n) : ends[n]]
            out_ends.append(len(into))
        return out


class NumberedTexts:
    """Distinct strings numbered 0, 1, ... in the order given, each found by its text: the
    strings kept as one `Texts`, and their hashes sorted a part at a time (`SHARDS`), each
    with its number. A string costs its UTF-8 bytes and 20 more, not a str object (49 bytes
    of header beside its text), an int object for its number and a dict slot: at a million
    credentials the name index's words were a million of each (a synthetic catalogue's names
    end in their own number). A lookup bisects the hashes and compares the texts of that
    hash, as `TextTable`'s does."""

    __slots__ = ("_hashes", "_numbers", "_texts")

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self._texts = Texts()
        hashes = [array("q") for _ in range(SHARDS)]
        numbers = [array("I") for _ in range(SHARDS)]
        for number, text in enumerate(texts):
            self._texts.append(text)
            hashed = hash(text)
            hashes[hashed % SHARDS].append(hashed)
            numbers[hashed % SHARDS].append(number)
        # A part at a time: sorting all at once would hold the GIL for a second at 1M.
        for part, unsorted in enumerate(hashes):
            order = _hash_order(unsorted)
            hashes[part] = array("q", map(unsorted.__getitem__, order))
            numbers[part] = array("I", map(numbers[part].__getitem__, order))
        self._hashes = hashes
        self._numbers = numbers

    def number(self, text: str) -> int | None:
        """`text`'s number; None if it is not one of these strings."""
        hashed = hash(text)
        part = hashed % SHARDS
        hashes = self._hashes[part]
        # TextTable.get's search, written out for one number: a shared helper cost 0.7 µs a
        # lookup (1.7 -> 2.4), and matching looks words up by the thousand.
        n = bisect_left(hashes, hashed)
        if n == len(hashes) or hashes[n] != hashed:
            return None  # most words asked for and not held end here
        numbers, texts = self._numbers[part], self._texts
        while n < len(hashes) and hashes[n] == hashed:
            if texts[numbers[n]] == text:
                return numbers[n]
            n += 1
        return None

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self.number(text) is not None

    def __getitem__(self, number: int) -> str:
        return self._texts[number]

    def __len__(self) -> int:
        return len(self._texts)

    def __iter__(self) -> Iterator[str]:
        """The strings in the order of their numbers."""
        return iter(self._texts)


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
    """A collection split by its keys' hashes (`Shards`)."""

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

    def clear(self) -> None:
        """Emptied a shard at a time (one C call each: other threads run between)."""
        for part in self._parts:
            part.clear()

    def items(self) -> Iterator[tuple[str, V]]:
        return chain.from_iterable(part.items() for part in self._parts)


class TextTable:
    """Strings, each added with an int (a string may be added many times), looked up by their
    text once settled: for each string, its hash, its UTF-8 bytes and its int, kept in
    arrays sorted by the hash and split in `SHARDS`. A key of the name index costs its bytes
    and 24 more, not a str (49 bytes and its text), a dict slot and an int object (28-32
    bytes): at a million credentials the keys in a dict of strs were some 400 MB.

    A lookup finds the hash by bisection (`bisect` searches an array in C) and compares the
    texts of the entries of that hash, so two strings of one hash are never confused. The
    hash is Python's str hash, the same for the life of the process, which is as long as the
    table lives."""

    __slots__ = ("_hashes", "_settled", "_texts", "_values")

    def __init__(self) -> None:
        self._hashes = [array("q") for _ in range(SHARDS)]
        self._texts = [Texts() for _ in range(SHARDS)]
        self._values = [array("Q") for _ in range(SHARDS)]
        self._settled = False

    def add(self, text: str, value: int) -> None:
        """`text` with `value` (0 to 2**64 - 1); before `settle` only."""
        if self._settled:
            raise ValueError("a settled TextTable takes no more entries")
        hashed = hash(text)
        part = hashed % SHARDS
        self._hashes[part].append(hashed)
        self._texts[part].append(text)
        self._values[part].append(value)

    def settle(self) -> None:
        """Each part sorted by hash (the entries of one hash in the order they were added),
        one part at a time: sorting all at once would hold the GIL for seconds."""
        for part in range(SHARDS):
            hashes = self._hashes[part]
            order = _hash_order(hashes)
            self._hashes[part] = array("q", map(hashes.__getitem__, order))
            self._values[part] = array("Q", map(self._values[part].__getitem__, order))
            self._texts[part] = self._texts[part].reordered(order)
        self._settled = True

    def get(self, text: str) -> list[int]:
        """The values `text` was added with, in the order they were added; [] if never."""
        if not self._settled:
            raise ValueError("a TextTable is read once settled")
        hashed = hash(text)
        part = hashed % SHARDS
        hashes, texts, values = self._hashes[part], self._texts[part], self._values[part]
        found = []
        n = bisect_left(hashes, hashed)
        while n < len(hashes) and hashes[n] == hashed:
            if texts[n] == text:
                found.append(values[n])
            n += 1
        return found

    def __len__(self) -> int:
        """Entries added (a text added twice counts twice)."""
        return sum(len(hashes) for hashes in self._hashes)

    def __iter__(self) -> Iterator[str]:
        """Each entry's text (a text added twice comes twice), part after part."""
        return chain.from_iterable(self._texts)


def _hash_order(hashes: array[int]) -> list[int]:
    """The positions of `hashes` in ascending order of hash; of one hash, as they came."""
    return sorted(range(len(hashes)), key=hashes.__getitem__)  # stable


class IntSet:
    """Ints of 0 to 2**64 - 1, each kept once, in sorted arrays split in `SET_PARTS` by value: 8
    bytes an int, not an int object and a set slot (some 60 bytes). Found by bisection once
    settled. While it is built, a part that has doubled is sorted and rid of its repeats, so
    an int added many times is not kept many times for long."""

    __slots__ = ("_kept", "_parts", "_settled")

    def __init__(self) -> None:
        self._parts = [array("Q") for _ in range(SET_PARTS)]
        self._kept = [0] * SET_PARTS  # each part's length when it was last settled
        self._settled = False

    def add(self, value: int) -> None:
        if self._settled:
            raise ValueError("a settled IntSet takes no more ints")
        part = value % SET_PARTS
        values = self._parts[part]
        values.append(value)
        if len(values) >= 2 * self._kept[part] + 1_024:
            self._settle(part)

    def _settle(self, part: int) -> None:
        values = self._parts[part] = array("Q", sorted(set(self._parts[part])))
        self._kept[part] = len(values)

    def settle(self) -> None:
        for part in range(SET_PARTS):
            self._settle(part)
        self._settled = True

    def __contains__(self, value: object) -> bool:
        if not self._settled:
            raise ValueError("an IntSet is read once settled")
        if not isinstance(value, int) or value < 0:
            return False
        values = self._parts[value % SET_PARTS]
        n = bisect_left(values, value)
        return n < len(values) and values[n] == value

    def __len__(self) -> int:
        return sum(len(values) for values in self._parts)

    def __iter__(self) -> Iterator[int]:
        """The ints, part after part (each part ascending); once settled."""
        return chain.from_iterable(self._parts)
