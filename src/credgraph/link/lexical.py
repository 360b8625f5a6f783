"""Close matches between frameworks by their labels: IDF-weighted term coverage.

Every label of a concept (preferred, alternative, and their variants, see
`terms.label_variants`) is a set of terms, each weighing its inverse document frequency over
all concepts, so that rare words ("Haskell", "photogrammetry") decide and common ones
("software", "manage") barely count. Two labels score the share of their weight that the
other covers:

    score(l1, l2) = (covered(l1) + covered(l2)) / (w(l1) + w(l2))

A term is covered by the same term in the other label, for `NEAR_TERM` of its weight by a
term that shares a stem of five letters or more ("attend", "attention"), and, once the labels
themselves cover half of a label's weight, for `EXPLAINED` of its weight by the other
concept's context: its description, qualifiers and broader concepts. So O*NET's
"Programming" ("Writing computer programs...") meets ESCO's "computer programming", but
"Schlumberger ECLIPSE", a reservoir simulator, does not meet the Eclipse IDE. Weights are
IDF squared (`IDF_POWER`): a label that adds a common word ("system", "software") to a rare
name stays close to the bare name; one that adds a rare word does not.

Two concepts score the best pair of their labels, with one discount: a pair found through an
alternative label while the preferred labels score under `PREFERRED_AGREE` counts `ALT_ONLY`
of its score, because ESCO lists narrower products among a generic skill's alternative
labels ("computer programming" is also "Lua").

Candidates come from an inverted index of terms and of five-letter stems; a key carried by
more than `COMMON_SHARE` of the concepts ("software") generates no candidates (it still
counts in the score). Only concepts of different schemes are compared: ESCO, O*NET, each
other framework, and issuer-local labels (`LOCAL`, compared with frameworks only).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from credgraph.link.terms import label_variants, qualifiers, terms

LOCAL = "local"
METHOD = "lexical"
THRESHOLD = 0.88
NEAR_TERM = 0.8
EXPLAINED = 0.9
ALT_ONLY = 0.8
PREFERRED_AGREE = 0.5
COMMON_SHARE = 0.02
MIN_COMMON = 200
IDF_POWER = 2.0
TOP = 3  # matches kept per concept and other scheme
_STEM_KEY = 5


@dataclass(frozen=True, slots=True)
class Concept:
    """What the matcher needs of a skill: its labels (preferred first), its scheme, and
    context texts (description, broader concepts' names)."""

    id: str
    scheme: str
    labels: tuple[str, ...]
    context: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CloseMatch:
    """Two concepts of different schemes that mean nearly the same, with a score 0-1."""

    a: str
    b: str
    score: float
    method: str = METHOD


@dataclass(frozen=True, slots=True)
class _Label:
    concept: int
    terms: frozenset[str]
    weight: float
    preferred: bool
    stems: dict[str, tuple[str, ...]]  # five-letter stem -> the label's terms that have it


class LexicalMatcher:
    """The concepts of every scheme, indexed by term; `matches` compares some or all."""

    def __init__(
        self, concepts: Iterable[Concept], *, threshold: float = THRESHOLD, top: int = TOP
    ) -> None:
        self.threshold = threshold
        self.top = top
        self.concepts: list[Concept] = []
        self.position: dict[str, int] = {}
        raw: list[tuple[int, frozenset[str], bool]] = []
        self.context: list[frozenset[str]] = []
        frequency: dict[str, int] = {}
        for concept in concepts:
            own = _label_terms(concept.labels, local=concept.scheme == LOCAL)
            if concept.id in self.position or not own:
                continue
            at = len(self.concepts)
            self.position[concept.id] = at
            self.concepts.append(concept)
            self.context.append(_context_terms(concept))
            carried: set[str] = set()
            for label_terms, preferred in own:
                raw.append((at, label_terms, preferred))
                carried.update(label_terms)
            for key in carried | {t[:_STEM_KEY] for t in carried if len(t) > _STEM_KEY}:
                frequency[key] = frequency.get(key, 0) + 1
        total = len(self.concepts)
        self.idf: dict[str, float] = {
            t: math.log((total + 1) / (n + 0.5)) ** IDF_POWER for t, n in frequency.items()
        }
        common = max(MIN_COMMON, int(total * COMMON_SHARE))
        self.labels = [
            _Label(c, ts, sum(self.idf[t] for t in ts), p, _stems(ts)) for c, ts, p in raw
        ]
        self.of_concept: list[list[int]] = [[] for _ in self.concepts]
        self.preferred: list[list[int]] = [[] for _ in self.concepts]
        self.postings: dict[str, list[int]] = {}
        for index, label in enumerate(self.labels):
            self.of_concept[label.concept].append(index)
            if label.preferred:
                self.preferred[label.concept].append(index)
            for key in _keys(label.terms):
                if frequency[key] <= common:
                    self.postings.setdefault(key, []).append(index)

    def __len__(self) -> int:
        return len(self.concepts)

    def matches(self, ids: Collection[str] | None = None) -> list[CloseMatch]:
        """Close matches of the concepts `ids` (all when None) with concepts of other
        schemes, each unordered pair once (`a` < `b`), best first."""
        wanted = (
            range(len(self.concepts))
            if ids is None
            else sorted({self.position[i] for i in ids if i in self.position})
        )
        found: dict[tuple[str, str], float] = {}
        for at in wanted:
            for other, score in self._matches_of(at).items():
                a, b = sorted((self.concepts[at].id, self.concepts[other].id))
                found[(a, b)] = max(score, found.get((a, b), 0.0))
        pairs = [CloseMatch(a, b, round(score, 4)) for (a, b), score in found.items()]
        pairs.sort(key=lambda p: (-p.score, p.a, p.b))
        return pairs

    def score(self, a: str, b: str) -> float:
        """The score of two concepts, whatever the threshold (0 when either is unknown)."""
        x, y = self.position.get(a), self.position.get(b)
        if x is None or y is None:
            return 0.0
        return self._concepts_score(
            x, y, [(e, f) for e in self.of_concept[x] for f in self.of_concept[y]]
        )

    def _matches_of(self, at: int) -> dict[int, float]:
        scheme = self.concepts[at].scheme
        pairs: dict[int, list[tuple[int, int]]] = {}
        seen: set[int] = set()
        for e in self.of_concept[at]:
            seen.clear()
            for key in _keys(self.labels[e].terms):
                for f in self.postings.get(key, ()):
                    other = self.labels[f].concept
                    if f in seen or other == at or self.concepts[other].scheme == scheme:
                        continue
                    seen.add(f)
                    pairs.setdefault(other, []).append((e, f))
        best: dict[int, float] = {}
        for other, found in pairs.items():
            label_pairs = [
                (e, f) for e, f in found if self.threshold <= 0.75 or self._may_reach(e, f)
            ]
            if not label_pairs:
                continue
            score = self._concepts_score(at, other, label_pairs)
            if score >= self.threshold:
                best[other] = score
        return _top(best, self.concepts, self.top)

    def _concepts_score(self, x: int, y: int, label_pairs: list[tuple[int, int]]) -> float:
        best, via_alternative = 0.0, False
        for e, f in label_pairs:
            score = self._pair(e, f)
            if score > best:
                best = score
                via_alternative = not (self.labels[e].preferred and self.labels[f].preferred)
        if via_alternative and best > 0.0:
            agree = max(
                (
                    self._pair(e, f, context=False)
                    for e in self.preferred[x]
                    for f in self.preferred[y]
                ),
                default=0.0,
            )
            if agree < PREFERRED_AGREE:
                best = max(agree, best * ALT_ONLY)
        return best

    def _may_reach(self, e: int, f: int) -> bool:
        """Whether two labels can score `threshold` at all: the heavier one must have half
        its weight in terms the other has, or in terms sharing a five-letter stem with
        them (else context cannot count for it, and the score stays under 0.75)."""
        x, y = self.labels[e], self.labels[f]
        if x.weight < y.weight:
            x, y = y, x
        idf = self.idf
        reachable = sum(
            idf[t]
            for t in x.terms
            if t in y.terms or (len(t) >= _STEM_KEY and t[:_STEM_KEY] in y.stems)
        )
        return reachable >= 0.5 * x.weight

    def _pair(self, e: int, f: int, *, context: bool = True) -> float:
        x, y = self.labels[e], self.labels[f]
        if x.weight + y.weight <= 0.0:
            return 0.0
        covered = self._covered(x, y, context) + self._covered(y, x, context)
        return min(1.0, covered / (x.weight + y.weight))

    def _covered(self, x: _Label, y: _Label, context: bool) -> float:
        """The weight of `x`'s terms that `y` covers; when the labels themselves cover at
        least half of `x`, also what the context of `y`'s concept explains."""
        idf = self.idf
        covered = explained = 0.0
        known = self.context[y.concept] if context else frozenset()
        for term in x.terms:
            weight = idf[term]
            if term in y.terms:
                covered += weight
            elif _near(term, y.stems):
                covered += NEAR_TERM * weight
            elif term in known:
                explained += EXPLAINED * weight
        if covered >= 0.5 * x.weight:
            covered += explained
        return covered


def _label_terms(labels: tuple[str, ...], *, local: bool) -> list[tuple[frozenset[str], bool]]:
    """Distinct term sets of a concept's labels; a set from the preferred label wins. An
    issuer's label of one letter ("C", "R": a grade? a language?) names nothing for sure."""
    found: dict[frozenset[str], bool] = {}
    for position, label in enumerate(labels):
        for variant in label_variants(label):
            key = frozenset(terms(variant))
            if key and not (local and sum(map(len, key)) < 2):
                found[key] = found.get(key, False) or position == 0
    return list(found.items())


def _context_terms(concept: Concept) -> frozenset[str]:
    found: set[str] = set()
    for text in (*concept.context, *(q for label in concept.labels for q in qualifiers(label))):
        found.update(terms(text))
    return frozenset(found)


def _keys(label_terms: frozenset[str]) -> set[str]:
    return set(label_terms) | {t[:_STEM_KEY] for t in label_terms if len(t) > _STEM_KEY}


def _stems(label_terms: frozenset[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for term in label_terms:
        if len(term) >= _STEM_KEY:
            found[term[:_STEM_KEY]] = (*found.get(term[:_STEM_KEY], ()), term)
    return found


def _near(term: str, stems: dict[str, tuple[str, ...]]) -> bool:
    """Whether another term shares a stem of five letters or more with `term`, covering
    three quarters of the shorter one."""
    if len(term) < _STEM_KEY:
        return False
    for other in stems.get(term[:_STEM_KEY], ()):
        shorter = min(len(term), len(other))
        common = _STEM_KEY
        while common < shorter and term[common] == other[common]:
            common += 1
        if common >= 0.75 * shorter:
            return True
    return False


def _top(best: dict[int, float], concepts: list[Concept], top: int) -> dict[int, float]:
    """The `top` best matches per other scheme."""
    by_scheme: dict[str, list[tuple[float, int]]] = {}
    for other, score in best.items():
        by_scheme.setdefault(concepts[other].scheme, []).append((score, other))
    kept: dict[int, float] = {}
    for found in by_scheme.values():
        found.sort(key=lambda s: (-s[0], concepts[s[1]].id))
        kept.update((other, score) for score, other in found[:top])
    return kept
