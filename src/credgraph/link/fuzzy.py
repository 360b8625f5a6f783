"""Fuzzy lookup over label keys with rapidfuzz, refusing ties.

Choices are distinct label keys; each maps to the node ids that carry it. The score is the
better of `fuzz.ratio` (catches split or joined words: "Trouble shooting") and
`fuzz.token_sort_ratio` (word order blind: "Nurse, Registered"); never partial matching, so
"Java" does not score high against "JavaScript" the way `partial_ratio`/`WRatio` would.
A match is refused when:

* the query key is short (under `MIN_LENGTH` characters): short keys ("R", "C#", "SQL") differ
  by one letter from unrelated ones;
* numbers or roman numerals differ ("Calculus I" / "Calculus II");
* one label is the other plus whole words ("R programming" / "programming", "Ruby on Rails" /
  "Ruby"): a qualifier changes the concept. Stop words and the acronym of the shared words
  ("Certified Public Accountant CPA") are not qualifiers;
* another node scores within `MARGIN` points of the best one (the label is ambiguous).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from credgraph.link.keys import number_tokens

MIN_LENGTH = 5
STOP_WORDS = frozenset({"a", "an", "and", "the", "of", "in", "for", "to", "with", "on"})
MARGIN = 2.0
_LIMIT = 8


@dataclass(frozen=True, slots=True)
class FuzzyHit:
    node_id: str
    score: float  # 0-100
    key: str  # the taxonomy label key it matched


class FuzzyTable:
    """Label keys of one kind (and optionally one framework family) for fuzzy lookup.

    Keys are kept sorted by length, with their token-sorted forms beside them, so that a
    lookup only scores keys whose length can reach the cutoff (an Indel ratio of c% needs
    the shorter string to be at least c/(200-c) of the longer) and `token_sort_ratio` is a
    plain `ratio` over the pre-sorted forms."""

    def __init__(self, keys: Mapping[str, Iterable[str]]) -> None:
        ordered = sorted((k for k in keys if k), key=len)
        self._ids: dict[str, frozenset[str]] = {k: frozenset(keys[k]) for k in ordered}
        self._keys: list[str] = ordered
        self._sorted: list[str] = [_token_sorted(k) for k in ordered]
        self._lengths: list[int] = [len(k) for k in ordered]
        self.grown = 0  # keys `put` since it was built

    def __len__(self) -> int:
        return len(self._keys)

    def put(self, key: str, ids: Iterable[str]) -> None:
        """`key` now names `ids`: a key met again changes its ids, a new one is placed among
        those of its length (a crawl learns nodes page by page: rebuilding the table for
        each, 0.5 s at ESCO's size, cost more than every lookup of the page)."""
        if not key:
            return
        if key not in self._ids:
            self.grown += 1
            at = bisect_right(self._lengths, len(key))
            self._keys.insert(at, key)
            self._sorted.insert(at, _token_sorted(key))
            self._lengths.insert(at, len(key))
        self._ids[key] = frozenset(ids)

    def _scores(self, query: str, floor: float) -> dict[str, float]:
        """Best of ratio and token-sort ratio per key, for keys scoring at least `floor`."""
        reach = floor / (200.0 - floor) if floor < 100 else 1.0
        lo = bisect_left(self._lengths, math.ceil(len(query) * reach))
        hi = bisect_right(self._lengths, math.floor(len(query) / reach) if reach else 10**6)
        best: dict[str, float] = {}
        for q, choices in ((query, self._keys), (_token_sorted(query), self._sorted)):
            for _, score, at in process.extract(
                q, choices[lo:hi], scorer=fuzz.ratio, score_cutoff=floor, limit=_LIMIT
            ):
                key = self._keys[lo + at]
                best[key] = max(best.get(key, 0.0), float(score))
        return best

    def best(
        self,
        query: str,
        cutoff: float,
        fold: Callable[[set[str]], set[str]],
    ) -> FuzzyHit | None:
        """The one node whose label key scores at least `cutoff`, or None (no match, or
        more than one node within `MARGIN` of the best). `fold` merges equivalent ids."""
        if len(query) < MIN_LENGTH or not self._keys:
            return None
        numbers = number_tokens(query)
        scored: list[tuple[float, str, str]] = []  # (score, id, key)
        for key, score in self._scores(query, max(0.0, cutoff - MARGIN)).items():
            if number_tokens(key) != numbers or adds_words(query, key):
                continue
            for node_id in self._ids[key]:
                scored.append((score, node_id, key))
        if not scored:
            return None
        scored.sort(key=lambda s: (-s[0], s[1]))
        top_score, _, top_key = scored[0]
        if top_score < cutoff:
            return None
        close = fold({node_id for score, node_id, _ in scored if score >= top_score - MARGIN})
        if len(close) != 1:
            return None
        (node_id,) = close
        return FuzzyHit(node_id, top_score, top_key)


def _token_sorted(key: str) -> str:
    return " ".join(sorted(key.split(" ")))


def adds_words(a: str, b: str) -> bool:
    """True when one key is the other plus words that qualify it."""
    wa, wb = a.split(" "), b.split(" ")
    sa, sb = set(wa), set(wb)
    if sa == sb or not (sa < sb or sb < sa):
        return False
    short, extra = (wa, sb - sa) if sa < sb else (wb, sa - sb)
    extra -= STOP_WORDS
    if not extra:
        return False
    initials = "".join(w[0] for w in short if w not in STOP_WORDS)
    return extra != {initials}
