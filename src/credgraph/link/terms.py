"""Terms for comparing labels across frameworks: words folded to a stem, stop words dropped.

Frameworks name one skill with different parts of speech and spellings: ESCO writes "think
critically", O*NET "Critical Thinking"; "visualisation" and "visualization", "modelling"
and "modeling". A term is a word with British spellings folded to American ones, then cut to
a stem by a few suffix rules (a small Porter-like stemmer, English only):

>>> terms("think critically") == terms("Critical Thinking")
True
>>> terms("data visualisation software") == terms("Data visualization software")
True
>>> terms("use the spreadsheets")
('spreadsheet',)

Labels also come as variants (`label_variants`): a qualifier in parentheses is dropped
("Python (computer programming)" is also "Python"), and O*NET's "Long name ACRONYM" and
"Vendor Product" forms give their parts (`keys.derived_labels`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from credgraph.link.keys import derived_labels

# Words that say nothing about which skill a label names: articles, prepositions, and the
# verbs ESCO starts many skills with ("use spreadsheets software" is spreadsheet software).
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "e",
        "etc",
        "for",
        "from",
        "g",
        "i",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "other",
        "such",
        "than",
        "that",
        "the",
        "their",
        "this",
        "to",
        "with",
        "within",
        "others",
        "skill",
        "skills",
        "knowledge",
        "principles",
        "use",
        "using",
        "utilise",
        "utilize",
        "apply",
        "applying",
        "show",
        "demonstrate",
        "perform",
        "performing",
        "carry",
        "out",
        "conduct",
    }
)
_WORD = re.compile(r"[a-z0-9+#]+")
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
# British -> American before stemming: -ise/-isation/-ising, -yse, -our, -elling, ae
_SPELLINGS = (
    (re.compile(r"(?<=[a-z]{2})ae(?=[a-z])"), "e"),
    (re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{3})ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"(?<=[a-z]{2})our(s?)$"), r"or\1"),
    (re.compile(r"(?<=[a-z]{2}e)ll(ing|ed|er|ers)$"), r"l\1"),
)
# Suffixes cut in order, the first that leaves a stem of at least `_MIN_STEM` letters wins.
_SUFFIXES = (
    "izations",
    "ization",
    "ational",
    "ations",
    "ation",
    "itions",
    "ition",
    "ically",
    "ements",
    "ement",
    "ments",
    "ment",
    "nesses",
    "ness",
    "ities",
    "ity",
    "ively",
    "ive",
    "ings",
    "ing",
    "ical",
    "ally",
    "ies",
    "ied",
    "ers",
    "er",
    "ed",
    "ly",
    "al",
    "ic",
    "es",
    "s",
    "e",
    "y",
)
_MIN_STEM = 3


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A word's stem: spelling folded, one suffix cut ("critically" -> "critic")."""
    if len(word) <= _MIN_STEM or not word.isalpha():
        return word
    for pattern, replacement in _SPELLINGS:
        word = pattern.sub(replacement, word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            cut = word[: -len(suffix)]
            # "running" -> "run", not "runn"
            if len(cut) > 3 and cut[-1] == cut[-2] and cut[-1] not in "lsz":
                cut = cut[:-1]
            return cut
    return word


@lru_cache(maxsize=200_000)
def terms(label: str) -> tuple[str, ...]:
    """The sorted distinct terms of a label, stop words left out; () when none is left."""
    words = _WORD.findall(label.casefold().replace("&", " and "))
    return tuple(sorted({stem(w) for w in words if w not in STOP_WORDS}))


def label_variants(label: str) -> tuple[str, ...]:
    """The label and the labels it stands for: without a parenthesised qualifier, and the
    parts of an O*NET "Long name ACRONYM" label. (Not the product of a "Vendor Product"
    label: "Schlumberger ECLIPSE" is not the Eclipse IDE; `lexical` lets the other concept's
    description vouch for a vendor instead.)"""
    out = [label]
    bare = _PARENTHESES.sub("", label).strip()
    if bare and bare != label:
        out.append(bare)
    for text in list(out):
        out.extend(derived_labels(text, product=False))
        # "Customer relationship management CRM software": the acronym before "software"
        if text.lower().endswith(" software"):
            out.extend(derived_labels(text[: -len(" software")], product=False))
    return tuple(dict.fromkeys(out))


def qualifiers(label: str) -> tuple[str, ...]:
    """The parenthesised qualifiers of a label ("computer programming" of "Python
    (computer programming)"): context, not name."""
    return tuple(q.strip(" ()") for q in _PARENTHESES.findall(label) if q.strip(" ()"))
