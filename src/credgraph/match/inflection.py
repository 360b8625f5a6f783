"""Parts of speech of label words, from an English lexicon.

    is_verb("create")              # True: a verb and nothing else
    is_verb("use")                 # False: also a noun
    is_noun("communication")       # True: "communication channels" is a compound
    could_be_noun("channels")      # True
    is_gerund("recruiting")        # True: the -ing form of "recruit"
    nominalisations("recruit")     # ("recruitment",)
    nominalisations("analyse")     # ("analysis",)
    gerund("solve")                # "solving"
    is_mass_noun("empathy")        # True: no plural, a quality
    agent_gerund("solver")         # "solving": a solver is one who solves
    verb_forms("troubleshoot")     # ("troubleshoot", "troubleshoots", "troubleshooted")

A skill label of ESCO's that names an activity opens with a verb in its base form ("create
prototype of user experience solutions", "operate private branch exchange"); a label that
names a thing does not ("user experience", "private branch exchange"). A noun before a noun
modifies it ("communication channels"); an adjective says how ("agile team"). `lemminflect` holds
the lexicon (its data ship inside the package: nothing is downloaded at run time). Only
the word's own entries are read, not a tagger: a label is too short to tag reliably, so a
word that is also a noun or an adjective ("use", "test", "process") does not count as a
verb.

A gerund names the activity its verb does ("recruiting", "interviewing"), as do the nouns
derived from that verb by a suffix of action ("recruitment", "negotiation"): the suffix
rules propose a form, and the lexicon must know it as a noun.
"""

from __future__ import annotations

from functools import lru_cache

from lemminflect import (  # type: ignore[import-untyped]
    getAllInflections,
    getAllLemmas,
    getInflection,
)


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
def is_adjective(word: str) -> bool:
    """`word` (lower case) is an adjective and no other part of speech ("iterative",
    "agile", "statistical"; not "social", also a noun)."""
    return set(getAllLemmas(word)) == {"ADJ"}


@lru_cache(maxsize=8192)
def could_be_noun(word: str) -> bool:
    """`word` (lower case) may be a noun ("channels", "solutions", "imperatives")."""
    return "NOUN" in getAllLemmas(word)


@lru_cache(maxsize=8192)
def is_mass_noun(word: str) -> bool:
    """`word` (lower case) is a noun only, and one the lexicon gives no plural of its own
    ("empathy", "punctuality"): a quality, with no countable sense beside it ("an interest",
    "an initiative", "a commitment" are things too)."""
    if not is_noun(word):
        return False
    plurals = getAllInflections(word, upos="NOUN").get("NNS", ())
    return bool(plurals) and set(plurals) == {word}


# Suffixes that make a noun of action from a verb, with the verb's own ending they replace:
# recruit -> recruitment, negotiate -> negotiation, install -> installation, approve ->
# approval. An agent ("recruiter") is a person, not the activity: not here.
_ACTION_SUFFIXES = (
    ("", "ment"),
    ("", "ation"),
    ("e", "ation"),
    ("e", "ion"),
    ("e", "al"),
    ("", "ance"),
    ("e", "ance"),
    ("yse", "ysis"),  # analyse -> analysis (not base -> basis, axe -> axis)
    ("yze", "ysis"),  # analyze -> analysis
    ("ose", "osis"),  # diagnose -> diagnosis
    ("ise", "is"),  # synthesise -> synthesis
)


@lru_cache(maxsize=8192)
def is_gerund(word: str) -> bool:
    """`word` (lower case) is the -ing form of a verb other than itself ("recruiting",
    "interviewing"; not "ring")."""
    verbs = getAllLemmas(word).get("VERB", ())
    return word.endswith("ing") and any(v != word for v in verbs)


@lru_cache(maxsize=8192)
def gerund_verb(word: str) -> str | None:
    """The verb a gerund is the -ing form of ("recruiting": "recruit")."""
    verbs = [v for v in getAllLemmas(word).get("VERB", ()) if v != word]
    return verbs[0] if word.endswith("ing") and verbs else None


@lru_cache(maxsize=8192)
def nominalisations(verb: str) -> tuple[str, ...]:
    """The nouns of action the lexicon knows for `verb` ("recruit": "recruitment";
    "negotiate": "negotiation")."""
    out = []
    for ending, suffix in _ACTION_SUFFIXES:
        if ending and not verb.endswith(ending):
            continue
        noun = verb[: len(verb) - len(ending)] + suffix
        if noun not in out and noun in getAllLemmas(noun).get("NOUN", ()):
            out.append(noun)
    return tuple(out)


@lru_cache(maxsize=8192)
def gerund(verb: str) -> str | None:
    """The -ing form of `verb` ("solve": "solving"), when the lexicon knows it as a verb."""
    if verb not in getAllLemmas(verb).get("VERB", ()):
        return None
    forms = getInflection(verb, tag="VBG")
    return str(forms[0]) if forms else None


@lru_cache(maxsize=8192)
def agent_gerund(word: str) -> str | None:
    """The gerund of the verb whose doer `word` names by "-er" ("solver": "solving",
    "planner": "planning", "builder": "building"), when the lexicon knows both the noun and
    the verb; else None ("paper", "corner")."""
    if not word.endswith("er") or "NOUN" not in getAllLemmas(word):
        return None
    stem = word[:-2]
    candidates = [word[:-1], stem]
    if len(stem) > 2 and stem[-1] == stem[-2]:
        candidates.append(stem[:-1])  # "planner": "plan"
    for verb in candidates:
        if verb in getAllLemmas(verb).get("VERB", ()):
            return gerund(verb)
    return None


@lru_cache(maxsize=8192)
def is_english(word: str) -> bool:
    """The lexicon knows `word` (lower case) as an English word of some part of speech."""
    return bool(getAllLemmas(word))


@lru_cache(maxsize=8192)
def verb_forms(verb: str) -> tuple[str, ...]:
    """The finite forms of `verb`, when the lexicon knows it as a verb and nothing else: its
    base, third person and past forms ("troubleshoot", "troubleshoots", "troubleshooted").
    Not the past participle, an adjective as often ("written", "spoken" communication)."""
    if not is_verb(verb):
        return ()
    forms = getAllInflections(verb, upos="VERB")
    out = [verb]
    for tag in ("VBZ", "VBD"):
        out += [str(f) for f in forms.get(tag, ()) if str(f) not in out]
    return tuple(out)
