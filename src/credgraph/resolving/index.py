"""A name index over the graph's credentials, built once per version of the graph.

    index = NameIndex.build(await store.credential_names())

For each credential it keeps the keys that find it at once (its name, its name without kind
words or its issuer's name, the alternate names its publisher gives, codes in parentheses,
initials), the forms fuzzy matching scores against, and for each word the credentials using
it and how rare it is. Issuers are known by their name, by a distinctive first word
("Amazon" of "Amazon Web Services") and by their initials ("AWS"), so a resume line that
names an issuer can be read with and without it.

Building is pure CPU over the whole catalogue (about a second per 100,000 credentials):
callers run it off the event loop (`credgraph.resolving.service`).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from credgraph.resolving.words import (
    KIND_WORDS,
    LEVEL_WORDS,
    STOP_WORDS,
    acronyms,
    core,
    key,
    parenthesised_codes,
    respelled,
    spellings,
    words,
)
from credgraph.store.names import CredentialName

NAME, ALTERNATE, ACRONYM = "name", "alternate name", "acronym"
MAX_ISSUER_ALIAS_WORDS = 8
# An issuer's first word names it only when few issuers start with it ("Issuer 12 ..." no).
FIRST_WORD_ISSUERS = 3
INFORMATIVE_SHARE = 1_000  # one credential in this many
_ISSUER_SUFFIXES = frozenset({"inc", "llc", "ltd", "corp", "corporation", "gmbh", "plc", "co"})


@dataclass(frozen=True, slots=True)
class Form:
    """One way a credential is written, as fuzzy matching compares it: its core words
    without its issuer's."""

    credential: int
    tokens: tuple[str, ...]
    kind: str  # NAME or ALTERNATE
    generic: bool = False  # only level words ("engineer", "associate"): matches nothing


@dataclass(slots=True)
class NameIndex:
    credentials: list[CredentialName]
    issuer_of: list[int]  # issuer number of each credential, -1 for none
    issuers: list[str] = field(default_factory=list)
    exact: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    forms: list[Form] = field(default_factory=list)
    forms_of: list[list[int]] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)  # sorted; words fuzzy matching may reach
    issuer_aliases: dict[tuple[str, ...], set[int]] = field(default_factory=dict)
    issuer_words: list[frozenset[str]] = field(default_factory=list)
    issuer_forms: list[set[tuple[str, ...]]] = field(default_factory=list)  # aliases of each
    credentials_of_issuer: dict[int, list[int]] = field(default_factory=dict)
    longest_alias: int = 1
    # The rarity (idf) matched words must reach for a fuzzy match to count fully: that of a
    # word on one credential in a thousand, less on a small graph where every word is rarer.
    informative: float = 1.0
    rarest: float = 1.0  # the idf of a word on one credential: what an unknown word weighs
    # Every word of a key, a form or an issuer's name: what a resume's word run together or
    # split apart ("redhat", "Security X") is read back into.
    spelled: frozenset[str] = frozenset()
    # Two words one after the other in a key or an issuer's name: what a word run together
    # may be split into ("redhat" is "red hat", not "forms" "for ms").
    neighbours: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def build(cls, names: Sequence[CredentialName]) -> NameIndex:
        issuer_numbers: dict[str, int] = {}
        issuer_of = []
        also: defaultdict[int, set[str]] = defaultdict(set)  # issuers' alternate names
        for row in names:
            if row.issuer_name and row.issuer_name.strip():
                number = issuer_numbers.setdefault(row.issuer_name, len(issuer_numbers))
                also[number].update(row.issuer_alternate_names)
                issuer_of.append(number)
            else:
                issuer_of.append(-1)
        index = cls(list(names), issuer_of, list(issuer_numbers))
        index._index_issuers(also)
        exact: dict[str, list[tuple[int, str]]] = {}
        postings: dict[str, list[int]] = {}
        for n, row in enumerate(names):
            index.forms_of.append([])
            issuer = issuer_of[n]
            leave_out = index.issuer_words[issuer] if issuer >= 0 else frozenset()
            aliases = index.issuer_forms[issuer] if issuer >= 0 else set()
            written = [(s, NAME) for s in spellings(row.name)]
            written += [(a, ALTERNATE) for a in row.alternate_names]
            keys: dict[str, str] = {}  # this credential's keys, each with its best kind
            for text, kind in written:
                tokens = respelled(words(text))
                if not tokens:
                    continue
                essential = core(tokens)
                own = without_aliases(essential, aliases, index.longest_alias) or essential
                generic = all(t in LEVEL_WORDS for t in own)
                for k in (key(tokens), key(essential), *(() if generic else (key(own),))):
                    _put(keys, k, kind)
                for code in parenthesised_codes(text):
                    _put(keys, key(respelled(code.split())), ALTERNATE)
                if kind == NAME:
                    for initials in acronyms(text, leave_out):
                        _put(keys, initials, ACRONYM)
                index.forms_of[n].append(len(index.forms))
                index.forms.append(Form(n, tuple(own), kind, generic))
                for token in own:
                    posting = postings.setdefault(token, [])
                    if not posting or posting[-1] != n:  # credentials come in order
                        posting.append(n)
            for k, kind in keys.items():
                exact.setdefault(k, []).append((n, kind))
        exact.pop("", None)
        index.exact = exact
        index.postings = postings
        total = max(len(names), 1)
        index.idf = {k: math.log(1 + total / len(v)) for k, v in index.postings.items()}
        index.rarest = math.log(1 + total)
        index.informative = min(math.log(1 + INFORMATIVE_SHARE), 0.8 * math.log(1 + total))
        index.vocabulary = sorted(k for k in index.postings if not any(c.isdigit() for c in k))
        index.spelled = frozenset(
            {t for k in exact for t in k.split()}
            | set(postings)
            | {t for alias in index.issuer_aliases for t in alias}
        )
        spelt: list[Sequence[str]] = [k.split() for k in exact]
        spelt.extend(index.issuer_aliases)
        index.neighbours = frozenset(pair for w in spelt for pair in pairwise(w))
        by_issuer: defaultdict[int, list[int]] = defaultdict(list)
        for n, number in enumerate(issuer_of):
            if number >= 0:
                by_issuer[number].append(n)
        index.credentials_of_issuer = dict(by_issuer)
        return index

    def _index_issuers(self, also: dict[int, set[str]]) -> None:
        firsts: defaultdict[str, int] = defaultdict(int)
        spelled = [
            [w for w in respelled(words(name)) if w not in _ISSUER_SUFFIXES]
            for name in self.issuers
        ]
        for tokens in spelled:
            if tokens:
                firsts[tokens[0]] += 1
        aliases: defaultdict[tuple[str, ...], set[int]] = defaultdict(set)
        for number, (name, tokens) in enumerate(zip(self.issuers, spelled, strict=True)):
            plain = [t for t in tokens if t not in STOP_WORDS]
            forms = {tuple(tokens), tuple(plain)}
            forms.update(tuple(respelled(words(a))) for a in sorted(also.get(number, ())))
            if len(plain) > 1 and _distinctive(plain[0], firsts[plain[0]]):
                forms.add((plain[0],))
            if not any(c.isdigit() for c in name):
                forms.update((a,) for a in acronyms(name) if len(a) >= 3)
            forms = {f for f in forms if f and len(f) <= MAX_ISSUER_ALIAS_WORDS}
            for form in forms:
                aliases[form].add(number)
            self.issuer_words.append(frozenset(t for f in forms for t in f))
            self.issuer_forms.append(forms)
        self.issuer_aliases = dict(aliases)
        self.longest_alias = max((len(a) for a in aliases), default=1)

    def prefixed(self, stem: str, limit: int) -> list[str]:
        """Up to `limit` words of the vocabulary that start with `stem`."""
        start = bisect_left(self.vocabulary, stem)
        out = []
        for word in self.vocabulary[start : start + limit]:
            if not word.startswith(stem):
                break
            out.append(word)
        return out


def without_aliases(
    tokens: Sequence[str], aliases: set[tuple[str, ...]], longest: int
) -> list[str]:
    """`tokens` with every run that spells one of `aliases` taken out, longest first:
    "aws solutions architect" without Amazon Web Services' names is "solutions architect";
    "professional cloud architect" keeps its "cloud" (only "google cloud" names the issuer)."""
    out: list[str] = []
    n = 0
    while n < len(tokens):
        for size in range(min(longest, len(tokens) - n), 0, -1):
            if tuple(tokens[n : n + size]) in aliases:
                n += size
                break
        else:
            out.append(tokens[n])
            n += 1
    return out


def _distinctive(word: str, issuers_starting_with_it: int) -> bool:
    return (
        len(word) >= 4
        and word.isalpha()
        and word not in KIND_WORDS
        and issuers_starting_with_it <= FIRST_WORD_ISSUERS
    )


_TRUST = {NAME: 0, ALTERNATE: 1, ACRONYM: 2}


def _put(keys: dict[str, str], k: str, kind: str) -> None:
    # A credential is found by a key once: by its name before an alternate name or initials.
    if k not in keys or _TRUST[kind] < _TRUST[keys[k]]:
        keys[k] = kind
