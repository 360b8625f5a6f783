"""The words of the name index's forms, numbered, each with the credentials whose forms use it.

    postings = Postings.packed(numbers, words, uses)  # word -> number; words, uses by number
    "azure" in postings; postings.count("azure"); postings.credentials("azure")

A form keeps its words as these numbers (4 bytes each, `NameIndex.form_tokens`), and every
word's credentials are one run of a single array (`credgraph.resolving.packed.Runs`): a list
per word, and an int object per credential in it, were a third of the index.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator

from credgraph.resolving.packed import Runs, Shards

# What a word's list of credentials is replaced by once packed: the lists go one at a time,
# as the packing goes, instead of a million at once when the build drops them, which holds
# the GIL (so the event loop) all the while.
_PACKED: list[int] = []


class Postings:
    """Words numbered in the order first seen, each with the credentials using it, in
    ascending order, once each."""

    __slots__ = ("_credentials", "_numbers", "_words")

    def __init__(self) -> None:
        self._numbers: Shards[int] = Shards()
        self._words: list[str] = []
        self._credentials = Runs()

    @classmethod
    def packed(cls, numbers: Shards[int], words: list[str], uses: list[list[int]]) -> Postings:
        """`numbers` and `words` (each word by its number) kept, and `uses` (each word's
        credentials, by its number) packed and emptied."""
        postings = cls()
        for number, using in enumerate(uses):
            postings._credentials.append(using)
            uses[number] = _PACKED
        postings._numbers = numbers
        postings._words = words
        return postings

    def __contains__(self, word: object) -> bool:
        return word in self._numbers

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)

    def words(self, numbers: Iterable[int]) -> tuple[str, ...]:
        """The words of these numbers, in their order."""
        return tuple(map(self._words.__getitem__, numbers))

    def number(self, word: str) -> int | None:
        """`word`'s number; None for a word no form has."""
        return self._numbers.get(word)

    def count(self, word: str) -> int:
        """How many credentials use `word`; 0 for a word no form has."""
        number = self._numbers.get(word)
        return 0 if number is None else self._credentials.length(number)

    def credentials(self, word: str) -> array[int]:
        """The credentials using `word`, in ascending order; none for a word no form has."""
        number = self._numbers.get(word)
        return array("I") if number is None else self._credentials[number]
