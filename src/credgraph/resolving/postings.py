"""The words of the name index's forms, numbered, each with the credentials whose forms use it.

    postings = Postings.packed(words, uses)  # words and their credentials, by their number
    "azure" in postings; postings.count("azure"); postings.credentials("azure")

A form keeps its words as these numbers (4 bytes each, `NameIndex.form_tokens`), every
word's credentials are one run of a single array (`credgraph.resolving.packed.Runs`): a list
per word, and an int object per credential in it, were a third of the index. The words
themselves are one buffer (`credgraph.resolving.packed.NumberedTexts`): a str each, and an
int and a dict slot for its number, kept two million small objects at 1M credentials, laid
among the build's short-lived ones (what they shared with those stayed taken once freed).
Only the words of several credentials, the ones matching asks for most, are also kept as
strs.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator

from credgraph.collector import emptied
from credgraph.resolving.packed import NumberedTexts, Runs

# What a word's credentials are replaced by once packed: the lists go one at a time,
# as the packing goes, instead of a million at once when the build drops them, which holds
# the GIL (so the event loop) all the while.
_PACKED: list[int] = []
# A word of this many credentials or more is also kept as a str, found through a dict: what a
# resume line names is mostly words that several credentials share, and a word of one
# credential (a code, a number: 179 of the 246 words of the 108 real certifications
# `bench/resolve_bench.py` reads, and all the synthetic names' numbers) is then looked up in
# the buffer only.
SHARED = 2


class Postings:
    """Words numbered in the order first seen, each with the credentials using it, in
    ascending order, once each."""

    __slots__ = ("_credentials", "_shared", "_shared_words", "_words")

    def __init__(self) -> None:
        self._words = NumberedTexts()
        self._credentials = Runs()
        # The words of SHARED credentials or more by their text, and by their number.
        self._shared: dict[str, int] = {}
        self._shared_words: dict[int, str] = {}

    @classmethod
    def packed(cls, words: list[str], uses: list[int | list[int]]) -> Postings:
        """`words` (numbered by their place) and `uses` (each word's credentials, by its
        number; one credential as an int) packed, and both emptied."""
        postings = cls()
        for number, using in enumerate(uses):
            run = (using,) if isinstance(using, int) else using
            postings._credentials.append(run)
            if len(run) >= SHARED:
                postings._shared[words[number]] = number
                postings._shared_words[number] = words[number]
            uses[number] = _PACKED
        postings._words = NumberedTexts(words)
        emptied(words)
        return postings

    def __contains__(self, word: object) -> bool:
        return word in self._shared or word in self._words

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)

    def words(self, numbers: Iterable[int]) -> tuple[str, ...]:
        """The words of these numbers, in their order."""
        shared, words = self._shared_words, self._words
        return tuple(shared.get(n) or words[n] for n in numbers)

    def number(self, word: str) -> int | None:
        """`word`'s number; None for a word no form has."""
        number = self._shared.get(word)
        return self._words.number(word) if number is None else number

    def count(self, word: str) -> int:
        """How many credentials use `word`; 0 for a word no form has."""
        number = self.number(word)
        return 0 if number is None else self._credentials.length(number)

    def credentials(self, word: str) -> array[int]:
        """The credentials using `word`, in ascending order; none for a word no form has."""
        number = self.number(word)
        return array("I") if number is None else self._credentials[number]
