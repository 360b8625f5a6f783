"""Parts of speech of label words, from an English lexicon.

    is_verb("create")              # True: a verb and nothing else
    is_verb("use")                 # False: also a noun
    is_noun("communication")       # True: "communication channels" is a compound
    could_be_noun("channels")      # True

A skill label of ESCO's that names an activity opens with a verb in its base form ("create
prototype of user experience solutions", "operate private branch exchange"); a label that
names a thing does not ("user experience", "private branch exchange"). A noun before a noun
modifies it ("communication channels"); an adjective says how ("agile team"). `lemminflect` holds
the lexicon (its data ship inside the package: nothing is downloaded at run time). Only
the word's own entries are read, not a tagger: a label is too short to tag reliably, so a
word that is also a noun or an adjective ("use", "test", "process") does not count as a
verb.
"""

from __future__ import annotations

from functools import lru_cache

from lemminflect import getAllLemmas  # type: ignore[import-untyped]


@lru_cache(maxsize=8192)
def is_verb(word: str) -> bool:
    """`word` (lower case) is a verb's base form and no other part of speech."""
    lemmas: dict[str, tuple[str, ...]] = getAllLemmas(word)
    return set(lemmas) == {"VERB"} and word in lemmas["VERB"]


@lru_cache(maxsize=8192)
def is_noun(word: str) -> bool:
    """`word` (lower case) is a noun and no other part of speech ("communication",
    "leadership"; not "design", also a verb, nor "agile")."""
    return set(getAllLemmas(word)) == {"NOUN"}


@lru_cache(maxsize=8192)
def could_be_noun(word: str) -> bool:
    """`word` (lower case) may be a noun ("channels", "solutions", "imperatives")."""
    return "NOUN" in getAllLemmas(word)
