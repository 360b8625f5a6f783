"""Find the graph's skills and occupations in free text: a job ad pasted in.

    vocabulary = Vocabulary.build(skills, occupations)
    found = find_terms(vocabulary, "Senior Python developers (15-1252.00) ...")

A phrase is a skill's or occupation's preferred label or one of its alternative labels (and
their `variants`: "Python (computer programming)" is also "Python"), read
as words: split at anything that is not a letter or digit (a dot between letters stays, so
"Node.js" and "ASP.NET" are one word; a trailing "+" or "#" too: "C++", "C#"), lower-cased,
and each word cut to its singular ("databases" is "database", "policies" is "policy"). The
text is read the same way, left to right, and at each word the longest phrase starting there
wins; the words it covers are not read again. So phrases meet at word boundaries only
("Java" is not found in "JavaScript"), whatever the case or number.

A one-word label that is also an everyday English word ("Go", "Access", "Design",
"Integrity": `common_words`) names a skill only when written with a capital letter that does
not open a sentence (or a bullet) and is not one of a run of capitalised words (a title):
"experience with Go" is the language, "go the extra mile" and "Go Team" are not.
A one-word phrase every label writes in capitals (an acronym or a product name: "SQL",
"CASE") is found only in capitals. Labels under two characters, and labels made only of words
that carry no meaning on their own, are never phrases.

Occupation codes are read as written: O*NET-SOC (15-1252.00), SOC (15-1252, the detailed
occupations of it) and ISCO-08 (four digits, only after the word "ISCO").
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from credgraph.link.keys import derived_labels
from credgraph.match.common_words import COMMON_WORDS, EMPTY_WORDS

SKILL = "skill"
OCCUPATION = "occupation"
MAX_PHRASE_WORDS = 8
_WORD = re.compile(r"[^\W_](?:[^\W_]|\.(?=[^\W_]))*[+#]*")
_SENTENCE_END = re.compile(r"[.!?:;\n•*·–-]\s*$|^\s*$")
_ONET_SOC = re.compile(r"(?<![\d.-])(\d{2}-\d{4})(\.\d{2})?(?![\d-])")
_ISCO = re.compile(r"\bISCO(?:-08)?\s*(?:code|group)?\s*:?\s*(\d{4})\b", re.IGNORECASE)
_NAME_LIKE = re.compile(r"[a-z][A-Z]|^[A-Z0-9]{3,}$|[0-9+#.]")
_QUALIFIER = re.compile(r"\s*\([^)]*\)")
_LAST_WORD = re.compile(r"([^\W_][\w.+#-]*)[ \t]*[&/]?[ \t]*$")
_FIRST_WORD = re.compile(r"[ \t]*[&/]?[ \t]*([^\W_][\w.+#-]*)")
_CHECK_EVERY = 2048  # words between deadline checks


class ExtractionTimeout(TimeoutError):
    """Reading the text ran past its deadline."""


@dataclass(frozen=True, slots=True)
class Term:
    """A skill or occupation a phrase names, with the label it was found by."""

    kind: str  # SKILL or OCCUPATION
    id: str
    label: str
    alternative: bool  # found by an alternative label, not the preferred one


@dataclass(frozen=True, slots=True)
class Found:
    """One phrase found in the text: where, as written, and what it names."""

    start: int
    end: int
    text: str
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class CodeFound:
    """An occupation code written in the text."""

    scheme: str  # "O*NET-SOC", "SOC" or "ISCO-08"
    code: str
    start: int


@dataclass(slots=True)
class Vocabulary:
    """Phrases (tuples of normalised words) to the skills and occupations they name."""

    phrases: dict[tuple[str, ...], tuple[Term, ...]] = field(default_factory=dict)
    # one-word phrases every label writes in capitals ("CASE", "FIRST", "SQL"): acronyms and
    # product names, found only when the text writes them in capitals too
    capitals: set[str] = field(default_factory=set)
    lower: set[str] = field(default_factory=set)  # one-word phrases some label writes lower
    longest: int = 1

    @classmethod
    def build(
        cls,
        skills: Iterable[tuple[str, str, Iterable[str]]],
        occupations: Iterable[tuple[str, str, Iterable[str]]] = (),
    ) -> Vocabulary:
        """From (id, preferred label, alternative labels) of skills, then occupations."""
        vocabulary = cls()
        for kind, nodes in ((SKILL, skills), (OCCUPATION, occupations)):
            for node_id, name, alternatives in nodes:
                vocabulary.add(kind, node_id, name, False)
                for label in (name, *alternatives):
                    for alt in (label, *variants(label)):
                        if alt is not name:
                            vocabulary.add(kind, node_id, alt, True)
        return vocabulary

    def add(self, kind: str, node_id: str, label: str, alternative: bool) -> None:
        spans = list(words(label))
        key = tuple(w for w, _s, _e in spans)
        if not key or len(key) > MAX_PHRASE_WORDS or not _meaningful(key):
            return
        if len(key) == 1 and len(label.strip()) < 2:
            return
        term = Term(kind, node_id, label.strip(), alternative)
        if len(key) == 1:
            written = label.strip()
            if written.isupper() and key[0] not in self.lower:
                self.capitals.add(key[0])
            elif not written.isupper():
                self.lower.add(key[0])
                self.capitals.discard(key[0])
        known = self.phrases.get(key, ())
        if any(t.kind == kind and t.id == node_id for t in known):
            return
        preferred_first = sorted((*known, term), key=lambda t: (t.kind != SKILL, t.alternative))
        self.phrases[key] = tuple(preferred_first)
        self.longest = max(self.longest, len(key))

    def __len__(self) -> int:
        return len(self.phrases)


def variants(label: str) -> tuple[str, ...]:
    """Other ways an ad writes a label: without its parenthesised qualifier ("Python
    (computer programming)" is "Python"), and as `link.keys.derived_labels` shortens
    product names ("Structured query language SQL" is also "SQL", "Microsoft PowerPoint"
    also "PowerPoint"). A shortening to one plain word is left out:
    "Autodesk Shape" is not "Shape", "Audit software" not "audit"; only a word that looks
    like a name (an inner capital, all capitals, a digit or a symbol: "PowerPoint", "SQL",
    "C++") stays."""
    out = []
    bare = _QUALIFIER.sub(" ", label).strip()
    if bare and bare != label.strip():
        out.append(bare)
    written = {w.casefold(): w for w in re.findall(r"\S+", bare or label)}
    for derived in derived_labels(bare or label):
        if " " in derived:
            out.append(derived)
        elif _NAME_LIKE.search(written.get(derived, "")):
            out.append(written[derived])
    return tuple(out)


def singular(word: str) -> str:
    """The word cut to its singular form, by the regular English rules only."""
    if len(word) <= 3 or not word.endswith("s") or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("yses", "eses")) and not word.endswith("sses"):
        return word[:-2] + "is"  # analyses, hypotheses
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is", "ics")):
        return word
    return word[:-1]


def words(text: str) -> Iterator[tuple[str, int, int]]:
    """(normalised word, start, end) of each word of `text`."""
    for m in _WORD.finditer(text):
        yield singular(m.group().casefold()), m.start(), m.end()


def _meaningful(key: tuple[str, ...]) -> bool:
    return any(w not in EMPTY_WORDS for w in key)


def find_terms(vocabulary: Vocabulary, text: str, deadline: float | None = None) -> list[Found]:
    """Every phrase of `vocabulary` in `text`, left to right, longest first at each word.
    `deadline` is a `time.monotonic()` value: past it, `ExtractionTimeout` is raised."""
    spans = list(words(text))
    found: list[Found] = []
    i = 0
    while i < len(spans):
        if deadline is not None and i % _CHECK_EVERY == 0 and time.monotonic() > deadline:
            raise ExtractionTimeout(f"reading the text stopped after {i} words")
        hit = _longest_at(vocabulary, text, spans, i)
        if hit is None:
            i += 1
            continue
        length, terms = hit
        start, end = spans[i][1], spans[i + length - 1][2]
        found.append(Found(start, end, text[start:end], terms))
        i += length
    return found


def _longest_at(
    vocabulary: Vocabulary, text: str, spans: list[tuple[str, int, int]], i: int
) -> tuple[int, tuple[Term, ...]] | None:
    top = min(vocabulary.longest, len(spans) - i)
    for length in range(top, 0, -1):
        key = tuple(w for w, _s, _e in spans[i : i + length])
        terms = vocabulary.phrases.get(key)
        if terms is None:
            continue
        if length == 1 and key[0] in COMMON_WORDS and not _named(text, spans[i]):
            continue
        if (
            length == 1
            and key[0] in vocabulary.capitals
            and not text[spans[i][1] : spans[i][2]].isupper()
        ):
            continue
        return length, terms
    return None


def _named(text: str, span: tuple[str, int, int]) -> bool:
    """An everyday word names a skill only capitalised, not opening a sentence, and not
    inside a run of capitalised words (a title: "Strategic Plan", "Customer Service")."""
    start, end = span[1], span[2]
    if not text[start].isupper():
        return False
    if _SENTENCE_END.search(text[max(0, start - 40) : start]):
        return False
    before = _LAST_WORD.search(text[max(0, start - 40) : start])
    after = _FIRST_WORD.match(text[end : end + 40])
    return not any(m and m.group(1)[:1].isupper() for m in (before, after))


def find_codes(text: str) -> list[CodeFound]:
    """Occupation codes written in `text`: O*NET-SOC, SOC and ISCO-08 ones."""
    codes = []
    for m in _ONET_SOC.finditer(text):
        if m.group(2):
            codes.append(CodeFound("O*NET-SOC", m.group(1) + m.group(2), m.start()))
        else:
            codes.append(CodeFound("SOC", m.group(1), m.start()))
    codes += [CodeFound("ISCO-08", m.group(1), m.start()) for m in _ISCO.finditer(text)]
    return sorted(codes, key=lambda c: c.start)
