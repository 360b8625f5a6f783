"""Resolve one resume line to the credentials it names, with a confidence and how.

    resolve(index, "AWS SAA", first=3)
    -> [NameMatch("https://aws.amazon.com/certification/...", 0.95, "acronym + issuer")]

In order of trust:

1. a key of the index equals the line's words, or its words without kind and noise words
   ("cert", "Coursera", a year), or those without an issuer the line names: the credential's
   `name`, an `alternate name` its publisher gives, or its `acronym`;
2. fuzzy: the line's words against each form of the credentials sharing a rare word with it
   (or issued by an issuer it names), words matched exactly, by prefix ("Sec+" and
   "Security+") or within a typo (rapidfuzz's Damerau-Levenshtein), weighted by rarity.

Confidence is calibrated so that a line naming a credential the graph does not hold stays at
0.5 or under: a fuzzy score needs most of the rare words of both sides to agree, levels and
numbers that differ ("Associate" / "Professional", "Core 1" / "Core 2") halve it, a line
naming another issuer than the credential's cuts it, and a key several credentials share is
split between them, and words many credentials share ("data") weigh too little to
make a confident match on their own. `bench/resolve_bench.py` measures it on labelled names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from credgraph.resolving.index import ACRONYM, ALTERNATE, NAME, Form, NameIndex
from credgraph.resolving.words import (
    ABBREVIATIONS,
    LEVEL_WORDS,
    as_roman,
    core,
    key,
    letters_and_digits,
    respelled,
    words,
)
from credgraph.resolving.words import YEAR as _YEAR

MAX_LINE_WORDS = 24
MAX_CANDIDATES = 100  # credentials scored fuzzily per line, the rarest words' first
MAX_POSTING = 5_000  # a word on more credentials finds no candidates (it still scores)
MAX_ISSUER_CANDIDATES = 2_000
FLOOR = 0.05  # matches under it are not worth showing
TYPO = 0.8  # Damerau-Levenshtein similarity at which two words count as one mistyped
PREFIX_CREDIT = 0.8
MIN_STEM = 3
MIN_SPLIT = 5  # a word shorter than this is not read as two run together
MAX_SPLIT_CHARS = 40  # nor a word longer than this (no name's two words are)
SUBSTITUTED = 0.15  # the weight share left unmatched on both sides that means a swapped word
MAX_ALIASES_KEPT_IN = 3  # issuer names in a line, at most, each also looked up kept in
_EXACT = {NAME: 0.98, ALTERNATE: 0.96, ACRONYM: 0.9}
_EXACT_WITHOUT_ISSUER = {NAME: 0.96, ALTERNATE: 0.95, ACRONYM: 0.93}


@dataclass(frozen=True, slots=True)
class NameMatch:
    credential_id: str
    confidence: float
    method: str


def resolve(index: NameIndex, text: str, first: int = 3) -> list[NameMatch]:
    """The `first` credentials `text` most likely names, most likely first; [] for text
    without words."""
    line = _Line(index, text)
    if not line.core:
        return []
    found: dict[int, tuple[float, str]] = {}
    for credential, confidence, method in (*line.exact(), *line.fuzzy()):
        if confidence > found.get(credential, (0.0, ""))[0]:
            found[credential] = (confidence, method)
    ranked = sorted(
        ((c, m, n) for n, (c, m) in found.items() if c >= FLOOR),
        key=lambda t: (-t[0], index.name(t[2]), t[2]),
    )
    return [NameMatch(index.credential_id(n), round(c, 3), m) for c, m, n in ranked[:first]]


class _Line:
    def __init__(self, index: NameIndex, text: str) -> None:
        self.index = index
        self.weights = _Weights(index)
        # A credential's name is a few words: the rest of a long line is not looked at, so
        # a line's cost is bounded whatever it holds.
        written = respelled(words(text)[:MAX_LINE_WORDS], roman=False)
        # Read back, a word may be two or three: the bound holds again after it.
        self.words = [as_roman(t) for t in _compounds(index, written)][:MAX_LINE_WORDS]
        written_core = core(self.words, index.postings)
        self.core = list(dict.fromkeys(written_core))
        self.issuers, self.rest, _ = _issuers_named(index, self.core)
        # The line is also read as written, its repeated words kept: "Project Management
        # Professional - Project Management Institute" names the institute whole. And an
        # issuer's word may also be a word of the credential's name ("Project" of Project
        # Management Institute in "Project Management Professional (PMI)"): the line is
        # also looked up with each issuer name it holds kept in, when it holds several.
        named, rest, named_at = _issuers_named(index, written_core)
        self.issuers |= named
        self.rests = [self.rest, list(dict.fromkeys(rest))] + [
            list(
                dict.fromkeys(
                    t
                    for n, t in enumerate(written_core)
                    if not any(a <= n < a + size for a, size in spans)
                )
            )
            for spans in _proper_subsets(named_at)
        ]

    # -- keys --------------------------------------------------------------------------------
    def exact(self) -> Iterable[tuple[int, float, str]]:
        keys = {key(self.words): _EXACT, key(self.core): _EXACT}
        keys.setdefault(key(_undated(self.core)), _EXACT)
        if self.issuers and self.rest:
            for rest in self.rests:
                keys.setdefault(key(rest), _EXACT_WITHOUT_ISSUER)
                keys.setdefault(key(_undated(rest)), _EXACT_WITHOUT_ISSUER)
        keys.pop("", None)
        for k, base in keys.items():
            hits = self.index.hits(k)
            if self.issuers:  # a named issuer settles between credentials sharing a key
                own = [h for h in hits if self.index.issuer_of[h[0]] in self.issuers]
                hits = own or hits
            share = 1 + 0.3 * (len({c for c, _ in hits}) - 1)
            for credential, kind in hits:
                confidence, method = self._issuer_agrees(credential, base[kind], kind)
                yield credential, confidence / share, method

    # -- fuzzy -------------------------------------------------------------------------------
    def fuzzy(self) -> Iterable[tuple[int, float, str]]:
        asked = self.rest if self.issuers and self.rest else self.core
        credits = {t: self._similar(t) for t in dict.fromkeys(asked)}
        for credential in self._candidates(credits):
            # "Salesforce Admin": a form of level words only, its issuer named beside it
            generic = self.index.issuer_of[credential] in self.issuers
            best = max(
                (
                    self._score(asked, credits, form, generic=generic)
                    for form in self.index.forms_of(credential)
                ),
                default=(0.0, NAME),
            )
            score, kind = best
            if score <= 0:
                continue
            method = "fuzzy name" if kind == NAME else "fuzzy alternate name"
            yield (credential, *self._issuer_agrees(credential, score, method, fuzzy=True))

    def _similar(self, token: str) -> dict[str, float]:
        """Words of the index `token` may stand for, with how much credit each gets."""
        found = {token: 1.0} if token in self.index.postings else {}
        if any(c.isdigit() for c in token):
            return found  # numbers and codes match exactly or not at all
        stem = token.rstrip("+#")
        if len(stem) >= MIN_STEM:
            for word in self.index.prefixed(stem, 50):
                if word != token and word.endswith("+") == token.endswith("+"):
                    found.setdefault(word, PREFIX_CREDIT)
        if len(token) >= 5:
            for word, similarity, _ in process.extract(
                token,
                self.index.vocabulary,
                scorer=DamerauLevenshtein.normalized_similarity,
                score_cutoff=TYPO,
                limit=5,
            ):
                found[word] = max(found.get(word, 0.0), similarity)
        return found

    def _candidates(self, credits: dict[str, dict[str, float]]) -> list[int]:
        weight: dict[int, float] = {}
        for similar in credits.values():
            for word, credit in similar.items():
                if self.index.postings.count(word) > MAX_POSTING:
                    continue
                gain = credit * self.index.idf(word, 0.0)
                for credential in self.index.postings.credentials(word):
                    weight[credential] = weight.get(credential, 0.0) + gain
        for issuer in self.issuers:
            issued: Sequence[int] = self.index.credentials_of_issuer.get(issuer, ())
            for credential in issued[:MAX_ISSUER_CANDIDATES]:
                weight.setdefault(credential, 0.0)
        ranked = sorted(weight.items(), key=lambda item: -item[1])
        return [c for c, _ in ranked[:MAX_CANDIDATES]]

    def _score(
        self,
        asked: Sequence[str],
        credits: dict[str, dict[str, float]],
        form: Form,
        *,
        generic: bool = False,
    ) -> tuple[float, str]:
        """0.9 F1³ of the line's and the form's words, rarity-weighted, scaled down when
        the words matched say little (`NameIndex.informative`); halved on a level or number
        the line has and the form has not, cut less on one the line leaves out, and cut
        when a word of each side is left over. A form of level words only ("Engineer" of
        "Red Hat Certified Engineer") is too generic to match unless `generic` (the line
        names the credential's issuer)."""
        if not form.tokens or (form.generic and not generic):
            return 0.0, form.kind
        weight_of = self.weights
        form_got = {t: 0.0 for t in form.tokens}
        asked_weight = asked_got = asked_left = 0.0
        for token in asked:
            weight = weight_of[token]
            asked_weight += weight
            similar = credits.get(token, {})
            best = 0.0
            for t in form.tokens:
                credit = similar.get(t, 0.0)
                if credit > 0:
                    best = max(best, credit)
                    form_got[t] = max(form_got[t], credit)
            asked_got += weight * best
            asked_left += weight if best == 0 else 0.0
        form_weight = sum(weight_of[t] for t in form.tokens)
        form_matched = sum(weight_of[t] * c for t, c in form_got.items())
        form_left = sum(weight_of[t] for t, c in form_got.items() if c == 0)
        recall = asked_got / asked_weight if asked_weight else 0.0
        precision = form_matched / form_weight if form_weight else 0.0
        if recall + precision == 0:
            return 0.0, form.kind
        f1 = 2 * recall * precision / (recall + precision)
        score = 0.9 * f1**3 * min(1.0, asked_got / self.index.informative)
        asked_levels, form_levels = _qualifiers(asked, credits), _qualifiers(form.tokens, None)
        if asked_levels < form_levels:
            score *= 0.8  # a level the line leaves out ("AWS Certified Data Engineer")
        elif asked_levels != form_levels:
            score *= 0.5  # another level or number: another credential
        elif asked_left >= SUBSTITUTED * asked_weight and form_left >= SUBSTITUTED * form_weight:
            score *= 0.6  # a word of each side left over: one word put for another
        return score, form.kind

    def _issuer_agrees(
        self, credential: int, confidence: float, method: str, *, fuzzy: bool = False
    ) -> tuple[float, str]:
        if not self.issuers:
            return confidence, method
        if self.index.issuer_of[credential] in self.issuers:
            # fuzzy stays under an exact key's confidence, however well it scored
            ceiling = 0.95 if fuzzy else 0.99
            return min(confidence + (0.1 if fuzzy else 0.02), ceiling), f"{method} + issuer"
        return confidence * 0.5, f"{method}, another issuer named"


class _Weights(dict[str, float]):
    """How much each word weighs in a score: its rarity (`NameIndex.idf`), that of the rarest
    word if no form has it. Computed once per line and word as asked: a line scores a hundred
    forms sharing its words."""

    def __init__(self, index: NameIndex) -> None:
        super().__init__()
        self._index = index

    def __missing__(self, word: str) -> float:
        weight = self[word] = self._index.idf(word, self._index.rarest)
        return weight


def _compounds(index: NameIndex, tokens: list[str]) -> list[str]:
    """`tokens` with two words the index writes as one joined ("Security X" is "SecurityX",
    "Prince 2" "PRINCE2") when one of them is no word of the index, and a word it does not
    know read as it does: an abbreviation as its phrase ("ML" is "Machine Learning"), or split
    where letters meet digits ("AZ900" is "AZ 900", "PSM1" "PSM I", "PD1" the initials
    "PDI") or into two words ("redhat" is "Red Hat")."""
    known = index.spells
    out: list[str] = []
    n = 0
    while n < len(tokens):
        token = tokens[n]
        following = tokens[n + 1] if n + 1 < len(tokens) else None
        if (
            following is not None
            and known(token + following)
            and (not known(as_roman(token)) or not known(as_roman(following)))
        ):
            out.append(token + following)
            n += 2
            continue
        if known(as_roman(token)):
            out.append(token)
        elif token in ABBREVIATIONS:
            out.extend(ABBREVIATIONS[token])
        else:
            out.extend(_split_known(index, token))
        n += 1
    return out


def _split_known(index: NameIndex, token: str) -> list[str]:
    """`token` as words the index writes one after the other: its letters and digits apart,
    or two words run together (the longer first word when several splits are); its letters
    and its level as initials; else as it is."""
    if len(token) > MAX_SPLIT_CHARS:
        return [token]
    parts = letters_and_digits(token)
    if len(parts) > 1:
        if all(index.adjacent(a, b) for a, b in pairwise(as_roman(p) for p in parts)):
            return parts
        # A level run into initials: "PD1" for Platform Developer I ("pdi").
        initials = "".join(as_roman(p) for p in parts)
        return [initials] if index.spells(initials) else [token]
    if len(token) < MIN_SPLIT or not token.isalpha():
        return [token]
    for at in range(len(token) - 2, 1, -1):
        if index.adjacent(token[:at], token[at:]):
            return [token[:at], token[at:]]
    return [token]


def _undated(tokens: list[str]) -> list[str]:
    """`tokens` without years: "PMP, 2019" is looked up as "PMP" too, whatever the graph
    holds named with a number that looks like a year."""
    return [t for t in tokens if not _YEAR.match(t)]


def _qualifiers(tokens: Iterable[str], credits: dict[str, dict[str, float]] | None) -> set[str]:
    """Level words and numbers among `tokens` (a line's through what they matched)."""
    out: set[str] = set()
    for token in tokens:
        seen = credits.get(token, {}) if credits is not None else {token: 1.0}
        for word in (token, *seen):
            if word in LEVEL_WORDS or word.isdigit():
                out.add(word)
                break
    return out


def _issuers_named(
    index: NameIndex, tokens: list[str]
) -> tuple[set[int], list[str], list[tuple[int, int]]]:
    """Issuers `tokens` name (longest alias first), the tokens left when they are taken out,
    and where each alias was found (its first token and its length)."""
    named: set[int] = set()
    rest: list[str] = []
    spans: list[tuple[int, int]] = []
    n = 0
    while n < len(tokens):
        for size in range(min(index.longest_alias, len(tokens) - n), 0, -1):
            found = index.issuer_aliases.get(tuple(tokens[n : n + size]))
            if found:
                named |= found
                spans.append((n, size))
                n += size
                break
        else:
            rest.append(tokens[n])
            n += 1
    return named, rest, spans


def _proper_subsets(spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The non-empty subsets of `spans` but the whole, the largest first, for lines naming
    two or three issuers' aliases (a longer line's words are not worth 2^n lookups)."""
    if not 2 <= len(spans) <= MAX_ALIASES_KEPT_IN:
        return []
    subsets = [
        [span for bit, span in enumerate(spans) if mask >> bit & 1]
        for mask in range(1, (1 << len(spans)) - 1)
    ]
    return sorted(subsets, key=len, reverse=True)
