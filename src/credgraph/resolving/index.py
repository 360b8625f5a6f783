"""A name index over the graph's credentials, built once per version of the graph.

    index = NameIndex.build(await store.credential_names())

For each credential it keeps the keys that find it at once (its name, its name without kind
words or its issuer's name, the alternate names its publisher gives, codes in parentheses,
initials), the forms fuzzy matching scores against, and for each word the credentials using
it and how rare it is. Issuers are known by their name, by a distinctive first word
("Amazon" of "Amazon Web Services") and by their initials ("AWS"), so a resume line that
names an issuer can be read with and without it.

Building is pure CPU over the whole catalogue (about a second per 100,000 credentials):
callers run it off the event loop (`credgraph.resolving.service`). The index keeps what
matching reads in few objects (`credgraph.resolving.packed`, `credgraph.resolving.postings`):
ids and names as one buffer each, the forms' words as one buffer (`NumberedTexts`, through
`Postings`), a form's words and a word's credentials as runs of ints, the keys with their hits
in arrays sorted by hash (`TextTable`), pairs of words as ints (`IntSet`); the records it is
built from are not kept. At 100,000 credentials it holds 28 MiB (tracemalloc), at a million
some ten times that (`bench/serving_memory.py`).
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise

from credgraph.resolving.packed import IntSet, Runs, Shards, Texts, TextTable, start_of
from credgraph.resolving.postings import Postings
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
    without its issuer's. Made when a query reads it (`NameIndex.forms_of`)."""

    credential: int
    tokens: tuple[str, ...]
    kind: str  # NAME or ALTERNATE
    generic: bool = False  # only level words ("engineer", "associate"): matches nothing


# A key's hit is one int: the credential's number and the kind of name the key came from.
_KINDS = (NAME, ALTERNATE, ACRONYM)
_KIND_BITS = 2
_KIND_MASK = (1 << _KIND_BITS) - 1
# A form's traits are one byte: its kind's place in _KINDS, and whether it is generic.
_GENERIC = 1 << _KIND_BITS


@dataclass(slots=True)
class NameIndex:
    """What resolving reads, kept in few objects (`credgraph.resolving.packed`): at a million
    credentials a list, tuple or record per credential, form and key was ten million objects
    and 2.2 GB."""

    ids: Texts  # each credential's id, by its number (its place in the names built from)
    names: Texts  # each credential's name
    issuer_of: array[int]  # issuer number of each credential, -1 for none
    issuers: list[str] = field(default_factory=list)
    # Each key with its hit (`_hit`), once per credential it finds, in credential order.
    exact: TextTable = field(default_factory=TextTable)
    postings: Postings = field(default_factory=Postings)  # the forms' words, numbered
    form_tokens: Runs = field(default_factory=Runs)  # each form's words, by their numbers
    form_traits: bytearray = field(default_factory=bytearray)  # each form's kind, generic
    # Where each credential's forms end (a credential's forms are built one after another).
    forms_end: array[int] = field(default_factory=lambda: array("Q"))
    vocabulary: list[str] = field(default_factory=list)  # sorted; words fuzzy matching may reach
    issuer_aliases: dict[tuple[str, ...], set[int]] = field(default_factory=dict)
    issuer_words: list[frozenset[str]] = field(default_factory=list)
    issuer_forms: list[set[tuple[str, ...]]] = field(default_factory=list)  # aliases of each
    credentials_of_issuer: dict[int, array[int]] = field(default_factory=dict)
    longest_alias: int = 1
    # The rarity (idf) matched words must reach for a fuzzy match to count fully: that of a
    # word on one credential in a thousand, less on a small graph where every word is rarer.
    informative: float = 1.0
    rarest: float = 1.0  # the idf of a word on one credential: what an unknown word weighs
    total: int = 1  # credentials the idf counts against (at least one)
    # The words of keys and of issuers' names no form uses (`spells`: the forms' words are
    # the postings'), numbered on from the postings' words.
    spelled_besides: dict[str, int] = field(default_factory=dict)
    # Two words one after the other in a key or an issuer's name, as one int of their two
    # numbers (`_pair`): what a word run together may be split into ("redhat" is "red hat",
    # not "forms" "for ms"). A str "a b" and its set slot were a quarter of the index.
    neighbours: IntSet = field(default_factory=IntSet)

    @classmethod
    def build(cls, names: Sequence[CredentialName]) -> NameIndex:
        issuer_numbers: dict[str, int] = {}
        issuer_of = array("i")
        also: defaultdict[int, set[str]] = defaultdict(set)  # issuers' alternate names
        for row in names:
            if row.issuer_name and row.issuer_name.strip():
                number = issuer_numbers.setdefault(row.issuer_name, len(issuer_numbers))
                also[number].update(row.issuer_alternate_names)
                issuer_of.append(number)
            else:
                issuer_of.append(-1)
        index = cls(
            Texts(row.credential_id for row in names),
            Texts(row.name for row in names),
            issuer_of,
            list(issuer_numbers),
        )
        index._index_issuers(also)
        numbers: Shards[int] = Shards()  # each form word's number, in the order first seen
        spelt: list[str] = []  # each, by its number
        uses: list[int | list[int]] = []  # the credentials using each, by its number
        for n, row in enumerate(names):
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
                index.form_tokens.append(_numbered(own, n, numbers, spelt, uses))
                index.form_traits.append(_KINDS.index(kind) | (_GENERIC if generic else 0))
            index.forms_end.append(len(index.form_traits))
            for k, kind in keys.items():
                if k:
                    index.exact.add(k, _hit(n, kind))
        index.exact.settle()
        index.total = max(len(names), 1)
        index.rarest = math.log(1 + index.total)
        index.informative = min(math.log(1 + INFORMATIVE_SHARE), 0.8 * math.log(1 + index.total))
        index.vocabulary = sorted(w for w in spelt if not any(c.isdigit() for c in w))
        # Read while the words are still a dict: the packed words are slower to look up, and
        # the keys' words are looked up by the million.
        index.spelled_besides, index.neighbours = _spelling(
            index.exact, index.issuer_aliases, numbers, len(spelt)
        )
        numbers.clear()
        index.postings = Postings.packed(spelt, uses)
        by_issuer: defaultdict[int, array[int]] = defaultdict(lambda: array("I"))
        for n, number in enumerate(issuer_of):
            if number >= 0:
                by_issuer[number].append(n)
        index.credentials_of_issuer = dict(by_issuer)
        return index

    # -- what matching reads -----------------------------------------------------------------
    def credential_id(self, credential: int) -> str:
        return self.ids[credential]

    def name(self, credential: int) -> str:
        return self.names[credential]

    def hits(self, k: str) -> list[tuple[int, str]]:
        """The credentials key `k` finds, in their order, each with the kind of name it
        came from."""
        return [_unhit(h) for h in self.exact.get(k)]

    def forms_of(self, credential: int) -> list[Form]:
        start = start_of(self.forms_end, credential)
        return [self._form(f, credential) for f in range(start, self.forms_end[credential])]

    def _form(self, f: int, credential: int) -> Form:
        traits = self.form_traits[f]
        tokens = self.postings.words(self.form_tokens[f])
        return Form(credential, tokens, _KINDS[traits & _KIND_MASK], bool(traits & _GENERIC))

    def idf(self, word: str, unknown: float) -> float:
        """How rare `word` is among the credentials' forms; `unknown` if no form has it."""
        count = self.postings.count(word)
        return math.log(1 + self.total / count) if count else unknown

    def spells(self, word: str) -> bool:
        """Whether `word` is a word of a key, a form or an issuer's name."""
        return word in self.postings or word in self.spelled_besides

    def adjacent(self, first: str, second: str) -> bool:
        """Whether `second` follows `first` in a key or an issuer's name."""
        a, b = self._spelling_number(first), self._spelling_number(second)
        return a is not None and b is not None and _pair(a, b) in self.neighbours

    def _spelling_number(self, word: str) -> int | None:
        number = self.postings.number(word)
        return self.spelled_besides.get(word) if number is None else number

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


def _numbered(
    tokens: Sequence[str],
    credential: int,
    numbers: Shards[int],
    spelt: list[str],
    uses: list[int | list[int]],
) -> list[int]:
    """`tokens` by their numbers in `numbers` (a new word numbered next and added to `spelt`),
    `credential` noted in `uses` as using each (a word's one credential as an int, two or
    more as a list)."""
    out = []
    for token in tokens:
        number = numbers.get(token)
        if number is None:
            number = numbers[token] = len(spelt)
            spelt.append(token)
            # One credential as an int: most words have one (a list each was 75-80 MiB more at
            # the build's peak at 1M credentials).
            uses.append(credential)
        else:
            using = uses[number]
            if isinstance(using, int):
                if using != credential:
                    uses[number] = [using, credential]
            elif using[-1] != credential:  # credentials come in order
                using.append(credential)
        out.append(number)
    return out


def _hit(credential: int, kind: str) -> int:
    return credential << _KIND_BITS | _KINDS.index(kind)


def _unhit(hit: int) -> tuple[int, str]:
    return hit >> _KIND_BITS, _KINDS[hit & _KIND_MASK]


def _pair(first: int, second: int) -> int:
    return first << 32 | second


def _spelling(
    keys: Iterable[str], aliases: Iterable[tuple[str, ...]], numbered: Shards[int], count: int
) -> tuple[dict[str, int], IntSet]:
    """The words of `keys` and `aliases` no form uses, numbered on from the `count` forms'
    words (`numbered`), and each two words of them written one after the other (`_pair`)."""
    besides: dict[str, int] = {}
    neighbours = IntSet()
    for written in chain((k.split() for k in keys), aliases):
        numbers = []
        for w in written:
            number = numbered.get(w)
            if number is None:
                number = besides.setdefault(w, count + len(besides))
            numbers.append(number)
        for a, b in pairwise(numbers):
            neighbours.add(_pair(a, b))
    neighbours.settle()
    return besides, neighbours
