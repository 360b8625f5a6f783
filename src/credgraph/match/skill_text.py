"""Find the graph's skills and occupations in free text: a job ad pasted in.

    vocabulary = Vocabulary.build(skills, occupations)
    found = find_terms(vocabulary, "Senior Python developers (15-1252.00) ...")

A phrase is a skill's or occupation's preferred label or one of its alternative labels (and
their `variants`: "Python (computer programming)" is also "Python", "Platform as a service
PaaS" also "PaaS", a light verb's "conduct ICT code review" also "code review",
"demonstrate cultural awareness" also "cultural awareness"), read
as words: split at anything that is not a letter or digit (a dot between letters stays, so
"Node.js" and "ASP.NET" are one word; a trailing "+" or "#" too: "C++", "C#"), lower-cased,
and each word cut to its singular ("databases" is "database", "policies" is "policy"; not a
short word in capitals, an acronym: "GSA" is not "GSAS"; with a small "s" it is the acronym's
plural, "APIs" is "API"), and spelt -ise for -ize ("synthesize", "visualization" are ESCO's
"synthesise", "visualisation"). The text is read the same way, left
to right, and at each word the longest phrase starting there wins; the words it covers are not
read again. So phrases meet at word boundaries only ("Java" is not found in "JavaScript"),
whatever the case or number. The ad's boilerplate (equal-opportunity statements, benefits,
how to apply: `boilerplate`) is not read, nor what it says the employer has already
("in-house expertise in user research, design and analytics": `owned`).

A phrase must be written as its labels write it:

* its words joined by spaces or hyphens ("Data & Analytics" is not data analytics), plural
  only at its end ("teams working together" is not team working);
* a word every label writes in capitals in capitals ("Ad-HOC" is not "ad hoc"); a name
  with inner capitals made of everyday words ("ProFile", "TeamMate") with its capitals and
  not plural ("target profile", "teammates" are not those products), and so is one that is
  an English word without them ("accountability" is not AccountAbility; "github" is GitHub);
* an acronym the text defines means what it stands for: after "Paperwork Reduction Act
  (PRA)", "PRA" is not probabilistic risk assessment; "Software as a Service (SaaS)" names
  what the long form and the acronym name;
* a common-noun phrase written capitalised inside a longer run of capitalised words is part
  of a name ("Supervisory Contact Center Modernization Specialist", "TTS Leadership Team",
  "Portability and Accountability Act"), not the skill; but a conjunction with a name on
  its other side is a list of names ("Git and GitHub").

A phrase must mean the skill where it stands:

* an acronym an activity's label lists ("UX" of "create prototype of user experience
  solutions", "PBX" of "operate private branch exchange") names what the activity works on:
  it is not read alone (`inflection.is_verb` tells a label opening with a verb);
* a one-word noun label modifying the noun after it names the compound ("communication
  channels"), unless that noun is what a skill is practised with or known by
  ("communication skills", "tools", "methods": `common_words.PRACTISED_WITH`); an adjective
  ("agile team") still names its skill;
* a one-word label in lower case after a noun in lower case heads a compound that names
  something else ("talent administration", "talent programming");
* a one-word label in lower case with its object names that act, not the ability
  ("communicating the product vision", "administration of government", or a list of such
  nouns sharing the complement: "the recruitment and embedding of a capability"), unless the
  object is people ("recruiting the candidates");
* a one-word label listed with people ("leadership and other stakeholders", "TTS leadership
  and staff": `common_words.PEOPLE`) names people, the managers;
* a phrase yields to one starting inside it that runs past its end and covers more words of
  meaning ("Working with information security compliance" is not "working with
  information").

A label of "be" and an adjective ("be flexible") is also written with the other forms of
"be" ("is flexible"); none is read when a preposition follows the adjective ("Be
responsible for note-taking" is a duty, not the trait).

A one-word label that is a gerund ("Troubleshooting") is also its verb's finite forms
("troubleshoot and resolve issues"), unless the verb is a noun too or a general one, which
the vocabulary uses with the objects of eight other concepts or more ("write", "administer").

A lower-case label of a noun and a gerund ("problem solving") is also written as its doer
where the text says the person is one: "You're a resourceful problem-solver"
(`inflection.agent_gerund`); "brief the decision makers" is about other people.

Coordination is spelled out: "web and data analytics" also names web analytics, "data
analysis and visualization" data visualization, "data products and visualizations" data
visualization, when the vocabulary has those phrases.

One skill held twice is named once by either form: a lower-case label of a verb and its
object and the compound of the object with the verb's gerund or noun of action ("solve
problems" and "problem solving", "analyse data" and "data analysis"), and a label ending in
"skills" and its other words ("writing skills" and Writing): each phrase names both. The verb
and object label is also its compound verb ("problem-solve") and, with a plural object, one
object after an article ("solve a problem").

A vendor's name ("Google", which opens "Google Docs") before a word with a capital that makes
no name of the vocabulary opens a product it does not hold: "Google Apps" is not Google.

A one-word label that is also an everyday English word ("Go", "Access", "Design",
"Integrity": `common_words`) names a skill only when written with a capital letter that does
not open a sentence (or a bullet) and is not one of a run of capitalised words (a title), or
in a list of skills ("communication, coordination and collaboration skills"), or as a whole
item of a list whose next or previous item is a skill that is no everyday word ("networking,
email, social media"; not "open source, source control"), or as what something is done
through ("communicating through email", "via tickets, emails, and other channels"), or as a
one-word item of what the person upholds ("upholding openness, integrity and fairness"):
"experience with Go" is the language, "go the extra mile" and "Go Team" are not. A gerund
that a label writes in lower case ("recruiting", "interviewing": `inflection.is_gerund`)
names its activity however it is written: the capital tells a name from a word, and these
labels are no names. Such a label is also the nouns of action of its verb that the lexicon
knows (`inflection.nominalisations`): "recruitment" is recruiting.
A one-word phrase every label writes in capitals (an acronym or a product name: "SQL",
"CASE") is found only in capitals, unless it is no English word (`inflection.is_english`)
of four letters or more: "unix-based" is UNIX. Labels under two characters, and labels made only of words
that carry no meaning on their own, are never phrases.

Occupation codes are read as written: O*NET-SOC (15-1252.00), SOC (15-1252, the detailed
occupations of it) and ISCO-08 (four digits, only after the word "ISCO").
"""

from __future__ import annotations

import itertools
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from credgraph.link.keys import derived_labels
from credgraph.match.activities import written_activities
from credgraph.match.boilerplate import mask_boilerplate
from credgraph.match.common_words import COMMON_WORDS as _COMMON_WORDS
from credgraph.match.common_words import (
    CONJUNCTIONS,
    EMPTY_WORDS,
    PEOPLE,
    PRACTISED_WITH,
    PREPOSITIONS,
    RANKS,
)
from credgraph.match.inflection import (
    agent_gerund,
    could_be_noun,
    gerund,
    gerund_verb,
    is_adjective,
    is_english,
    is_gerund,
    is_mass_noun,
    is_noun,
    is_verb,
    nominalisations,
    verb_forms,
)
from credgraph.match.owned import mask_owned

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
_ACRONYM = re.compile(r"^[A-Z]{2,5}$")
_ACRONYM_PLURAL = re.compile(r"^[A-Z]{2,5}s$")
_IZE = re.compile(r"(?<=[a-z]{3})([iy])z(e|es|ed|ing|ation|er)$")
# what may stand between the words of a phrase: "machine-learning", "Customer Relationship
# Management (CRM)", a line break; not "&", "/" or a comma ("Data & Analytics" is data and
# analytics, not data analytics), unless a label writes them
_JOINS = re.compile(r"[\s\-–]*\(?")
_CAMEL = re.compile(r"[a-z][A-Z]")
_INNER_CAPITAL = re.compile(r"[A-Z]")
# verbs that add nothing to their object: doing ("conduct ICT code review" is code review),
# and showing a trait ("demonstrate cultural awareness" is cultural awareness)
_LIGHT_VERBS = (
    ("conduct",),
    ("perform",),
    ("execute",),
    ("undertake",),
    ("carry", "out"),
    ("show",),
    ("demonstrate",),
    ("display",),
    ("exhibit",),
)
# the light verbs of showing a trait: what they show alone is the trait when it is a quality
_SHOWING = (("show",), ("demonstrate",), ("display",), ("exhibit",))
_TITLE_JOINS = re.compile(r"[ \t]*[&\-–]?[ \t]*")
_LIST_COMMA = re.compile(r"\s*,\s*")
_SPACES = re.compile(r"[ \t]+")
_JS_DOT = re.compile(r"(?<=[^\W\d_])\.(?=js\b)", re.IGNORECASE)
_BULLET = re.compile(r"\s*(?:[-*+•·–]|\d+[.)])\s")
# what may open or close an item of a list besides a comma or a conjunction
_ITEM_OPENS = re.compile(r"[(:•*\n-]\s*$")
_ITEM_ENDS = re.compile(r"\s*[),.;\n]")
# what joins the items of a list: a comma or a conjunction and the small words after it
_LIST_JOIN = re.compile(
    r"\s*(?:,\s*|(?:,\s*)?(?:and|or)\s+)(?:(?:other|the|our|their|its)\s+)?", re.IGNORECASE
)


def _british(word: str) -> str:
    """The -ise spelling of an -ize word ("synthesize", "visualization", "analyze" are
    "synthesise", "visualisation", "analyse"): ESCO spells British, O*NET and most ads
    American, and both are read the same."""
    return _IZE.sub(r"\1s\2", word)


# the everyday words as `words` spells them
COMMON_WORDS = frozenset(map(_british, _COMMON_WORDS))


class ExtractionTimeout(TimeoutError):
    """Reading the text ran past its deadline."""


@dataclass(frozen=True, slots=True)
class Term:
    """A skill or occupation a phrase names, with the label it was found by."""

    kind: str  # SKILL or OCCUPATION
    id: str
    label: str
    alternative: bool  # found by an alternative label, not the preferred one


VENDOR_PRODUCTS = 8  # other concepts' names a vendor's name opens, at least
GENERAL_VERB = 8  # other concepts' labels a general verb opens, at least


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
    # phrases some label writes with marks other than spaces and hyphens between its words
    spelled: set[tuple[str, ...]] = field(default_factory=set)
    # phrases of several words some label writes with a space between two of them; a phrase
    # every label hyphenates throughout ("team-working") is one compound word
    spaced: set[tuple[str, ...]] = field(default_factory=set)
    # positions of a phrase that some label writes plural ("Systems Analysis"); at the others
    # a plural before the last word is not this phrase ("teams working" is not team working)
    plural_at: dict[tuple[str, ...], frozenset[int]] = field(default_factory=dict)
    # how every label of a phrase writes each of its words: an acronym ("Ad-HOC": "hoc"
    # only as "HOC") or a name with inner capitals ("ProFile"), else "" (no rule)
    styles: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    # phrases some label writes in lower case (a common noun, "contact center"), and the
    # words lower-case labels use (an everyday word: "profile", unlike "github")
    common: set[tuple[str, ...]] = field(default_factory=set)
    plain_words: set[str] = field(default_factory=set)
    # one-word names that open longer names ("Google" of "Google Docs"): a vendor's
    vendors: set[str] = field(default_factory=set)
    # labels of one capital letter ("R", "C"): no phrase, read only listed with other names
    letters: dict[str, tuple[Term, ...]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        skills: Iterable[tuple[str, str, Iterable[str]]],
        occupations: Iterable[tuple[str, str, Iterable[str]]] = (),
    ) -> Vocabulary:
        """From (id, preferred label, alternative labels) of skills, then occupations."""
        vocabulary = cls()
        # a gerund label's verb, added once every label is known: (kind, id, verb)
        verbs: list[tuple[str, str, str]] = []
        for kind, nodes in ((SKILL, skills), (OCCUPATION, occupations)):
            for node_id, name, alternatives in nodes:
                vocabulary.add(kind, node_id, name, False)
                activity = _is_activity(name)
                for label in (name, *alternatives):
                    verbs += ((kind, node_id, verb) for verb in _verb_of(label))
                    if activity and _ACRONYM.match(label.strip()):
                        continue  # "UX" of "create prototype of user experience solutions"
                    if label is not name and _everyday_deed(label):
                        continue  # "help people" of "mentor individuals"
                    forms = (label, *variants(label))
                    forms += tuple(filter(None, map(_without_head, forms)))
                    for alt in (
                        *forms,
                        *_action_nouns(label),
                        *_be_forms(label),
                        *_incorporated(label),
                    ):
                        if alt is not name:
                            vocabulary.add(kind, node_id, alt, True)
        vocabulary._add_verbs(verbs)
        vocabulary._join_siblings()
        products: Counter[str] = Counter(
            key[0]
            for key, terms in vocabulary.phrases.items()
            if len(key) > 1
            and (key[0],) in vocabulary.phrases
            and (key[0],) not in vocabulary.common
            and key[0] not in vocabulary.plain_words
            # another concept's name: "Python (computer programming)" is Python's own
            and {t.id for t in terms} - {t.id for t in vocabulary.phrases[(key[0],)]}
        )
        # A vendor names a product line (Google 30, Cisco 15, SAP 43), not a language or a
        # system a few tools are named after (Python 4, SQL 7, Linux 1): "Python Developer",
        # "Linux Servers" are Python and Linux.
        vocabulary.vendors = {word for word, n in products.items() if n >= VENDOR_PRODUCTS}
        return vocabulary

    def named_by(self, label: str, kind: str) -> tuple[Term, ...]:
        """The nodes of `kind` that `label`, read as words, is a label (or alternative
        label) of."""
        key = tuple(w for w, _s, _e in words(label))
        return tuple(t for t in self.phrases.get(key, ()) if t.kind == kind)

    def add(self, kind: str, node_id: str, label: str, alternative: bool) -> None:
        spans = list(words(label))
        # One str per word however many phrases use it ("data" opens thousands): at 200,000
        # skills a fresh str per word of each phrase was a sixth of the vocabulary.
        key = tuple(sys.intern(w) for w, _s, _e in spans)
        if not key or len(key) > MAX_PHRASE_WORDS or not _meaningful(key):
            return
        if len(key) == 1 and len(label.strip()) < 2:
            letter = label.strip()
            if letter.isupper():
                known_letter = self.letters.get(letter, ())
                if not any(t.kind == kind and t.id == node_id for t in known_letter):
                    self.letters[letter] = (*known_letter, Term(kind, node_id, letter, alternative))
            return
        term = Term(kind, node_id, label.strip(), alternative)
        self._note_writing(key, label, spans)
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

    def _note_writing(
        self, key: tuple[str, ...], label: str, spans: list[tuple[str, int, int]]
    ) -> None:
        written = [label[s:e] for _w, s, e in spans]
        if len(spans) > 1 and not all(
            _JOINS.fullmatch(label, spans[j][2], spans[j + 1][1]) for j in range(len(spans) - 1)
        ):
            self.spelled.add(key)
        if len(spans) > 1 and any(
            label[spans[j][2] : spans[j + 1][1]] != "-" for j in range(len(spans) - 1)
        ):
            self.spaced.add(key)
        folded = [w.casefold() for w in written]
        plural = frozenset(
            j for j, (w, f) in enumerate(zip(key, folded, strict=True)) if w != _british(f)
        )
        if plural:
            self.plural_at[key] = self.plural_at.get(key, frozenset()) | plural
        style = tuple(map(_style, written))
        known = self.styles.get(key)
        if known is not None and known != style:
            style = tuple(a if a == b else "" for a, b in zip(known, style, strict=True))
        # a few hundred distinct tuples for hundreds of thousands of phrases: each kept once
        self.styles[key] = _STYLES.setdefault(style, style)
        # lower case, or only a capital opening a phrase of several words ("Contact center")
        if not any(style) and (
            label[:1].islower() or (len(written) > 1 and not _INNER_CAPITAL.search(label, 1))
        ):
            self.common.add(key)
            self.plain_words.update(map(sys.intern, folded))

    def _add_verbs(self, verbs: list[tuple[str, str, str]]) -> None:
        """A gerund label's verb in its finite forms ("troubleshoot" is Troubleshooting),
        unless the vocabulary opens the labels of `GENERAL_VERB` other concepts or more with
        it: such a verb ("write", "administer", "communicate") is general, and its object
        says which skill is meant ("write code", "administer medication")."""
        opened: dict[str, set[str]] = {}
        for key, terms in self.phrases.items():
            if len(key) > 1:
                opened.setdefault(key[0], set()).update(t.id for t in terms)
        for kind, node_id, verb in verbs:
            if len(opened.get(verb, set()) - {node_id}) >= GENERAL_VERB:
                continue
            for form in verb_forms(verb):
                self.add(kind, node_id, form, True)

    def _join_siblings(self) -> None:
        """A lower-case label of a verb and its object ("solve problems", "analyse data") and
        one of the object and the verb's gerund or noun of action ("problem solving", "data
        analysis") name one skill in two grammatical forms, which ESCO keeps as two concepts:
        each phrase names both."""
        for key, terms in list(self.phrases.items()):
            if len(key) != 2 or not is_verb(key[0]) or not could_be_noun(key[1]):
                continue
            own = _lower_skills(terms)
            if not own:
                continue
            verb, noun = key
            for form in dict.fromkeys(filter(None, (gerund(verb), *nominalisations(verb)))):
                sibling = (noun, form)
                other = _lower_skills(self.phrases.get(sibling, ()))
                if not other or sibling not in self.common:
                    continue
                self._join(key, other)
                self._join(sibling, own)
        # "use HTML" is knowing HTML: a lower-case label of a verb of using and its object,
        # where the object is a phrase of its own (ESCO's skill and its knowledge, "use
        # markup languages" and "markup languages"), each names both
        for key, terms in list(self.phrases.items()):
            if len(key) < 2 or key[0] not in _USING or key[1:] not in self.phrases:
                continue
            # the verb in lower case: a skill, not a product ("Use Case Maker")
            own = tuple(t for t in terms if t.kind == SKILL and t.label[:1].islower())
            if not own:
                continue
            thing = tuple(t for t in self.phrases[key[1:]] if t.kind == SKILL)
            self._join(key, thing)
            self._join(key[1:], own)
        # "writing skills" is the skill of writing: where the vocabulary holds the words
        # before "skills" as a phrase of their own (O*NET's Writing), each names both
        for key, terms in list(self.phrases.items()):
            if len(key) >= 2 and key[-1] == "skill" and key[:-1] in self.phrases:
                shorter = self.phrases[key[:-1]]
                self._join(key, tuple(t for t in shorter if t.kind == SKILL))
                self._join(key[:-1], tuple(t for t in terms if t.kind == SKILL))

    def _join(self, key: tuple[str, ...], more: tuple[Term, ...]) -> None:
        known = self.phrases[key]
        ids = {(t.kind, t.id) for t in known}
        self.phrases[key] = known + tuple(t for t in more if (t.kind, t.id) not in ids)

    def __len__(self) -> int:
        return len(self.phrases)


# verbs that say only that a thing is used: "use", "utilise", "apply", "employ" HTML
_USING = frozenset({"use", "utilise", "apply", "employ"})


def _lower_skills(terms: Iterable[Term]) -> tuple[Term, ...]:
    """The skills among `terms` found by a label written in lower case: a common noun or a
    verb phrase, not a product's name ("Data analysis" software)."""
    return tuple(t for t in terms if t.kind == SKILL and t.label.islower())


def variants(label: str) -> tuple[str, ...]:
    """Other ways an ad writes a label: without its parenthesised qualifier ("Python
    (computer programming)" is "Python"; not when one lower-case word would be left, a common
    noun the qualifier narrows: "materials (glass, paper, plastic and wood)" is a field of
    study, not any "materials"), and as `link.keys.derived_labels` shortens
    product names ("Structured query language SQL" is also "SQL", "Microsoft PowerPoint"
    also "PowerPoint"; a lower-case first word is no vendor: "business IT systems" is not
    "IT systems"). A shortening to one plain word is left out:
    "Autodesk Shape" is not "Shape", "Audit software" not "audit"; only a word that looks
    like a name (an inner capital, all capitals, a digit or a symbol: "PowerPoint", "SQL",
    "C++") stays. A JavaScript library's name is also written without its dot ("Node.js"
    as "NodeJS", "Vue.js" as "VueJS"; not a web address: "Salary.com")."""
    out = []
    bare = _QUALIFIER.sub(" ", label).strip()
    if bare and bare != label.strip() and not (bare.islower() and " " not in bare):
        out.append(bare)  # a lower-case word keeps what narrows it: "materials (glass, paper...)"
    activity = _activity(bare or label)
    if activity:
        out.append(activity)
    parts = (bare or label).split()
    if len(parts) >= 3 and not parts[-1].isupper() and _spelled_by(parts[-1], parts[:-1]):
        out += [parts[-1], " ".join(parts[:-1])]  # "Platform as a service PaaS"
    written = {w.casefold(): w for w in _WORD.findall(bare or label)}
    for derived in derived_labels(bare or label):
        if parts[0].islower() and len(derived.split()) == len(parts) - 1:
            continue  # "business IT systems" is not the vendor "business"'s "IT systems"
        if " " in derived:  # as the label writes it: "SoftWare System", not "software system"
            out.append(" ".join(written.get(w, w) for w in derived.split()))
        elif _NAME_LIKE.search(written.get(derived, "")):
            out.append(written[derived])
    dotless = _JS_DOT.sub("", bare or label)
    if dotless != (bare or label):
        out.append(dotless)  # "Node.js" is written "NodeJS" too
    return tuple(out)


def _action_nouns(label: str) -> tuple[str, ...]:
    """A one-word label written in lower case that is a gerund ("recruiting") is also the
    nouns of action of its verb that the lexicon knows ("recruitment")."""
    word = label.strip()
    if not word.isalpha() or not word.islower():
        return ()
    verb = gerund_verb(word)
    return nominalisations(verb) if verb else ()


def _verb_of(label: str) -> tuple[str, ...]:
    """The verb of a one-word label that is a gerund ("Troubleshooting": "troubleshoot"),
    when the lexicon knows that verb as a verb and nothing else: "troubleshoot and resolve
    technical issues" is troubleshooting. Not a verb that is a noun too ("design", "program",
    "coach": "a coach", "the program" are things)."""
    word = label.strip()
    if not word.isalpha():
        return ()
    verb = gerund_verb(word.casefold())
    return (verb,) if verb and is_verb(verb) else ()


# words for people in general: "help people", "support others"
_ANYONE = ("people", "individuals", "others", "persons")
# verbs anyone does for others in everyday English ("we help people"), unlike "mentor",
# "lead", "motivate" or "influence", which name what a job asks
_EVERYDAY_DEEDS = frozenset({"help", "support", "serve"})
# objects that are people: "manage people" is no "people manage" ("we help people manage
# their money"), nor "advise customers" "customer advise"
_PEOPLE = frozenset(
    {
        *_ANYONE,
        "person",
        "staff",
        "colleague",
        "customer",
        "client",
        "team",
        "employee",
        "user",
        "member",
        "stakeholder",
        "student",
        "patient",
        "personnel",
    }
)


def _everyday_deed(label: str) -> bool:
    """An alternative label of an everyday verb (one the lexicon knows as a noun too: "help",
    "support", "guide") and people in general is everyday English, no name of the concept:
    "You like to ... help people out", "how we help people" are not ESCO's *mentor
    individuals*, whose alternative label "help people" is."""
    parts = label.split()
    return len(parts) == 2 and parts[1] in _ANYONE and parts[0] in _EVERYDAY_DEEDS


def _incorporated(label: str) -> tuple[str, ...]:
    """A lower-case label of a verb and its plural object ("solve problems") is also written
    with the object first, a compound verb ("navigate government processes and problem
    solve", "problem-solve"), and with one object after an article ("help them solve a
    problem"). The verb must be one and nothing else for the lexicon ("help people" is no
    "people help": "help" is also a noun)."""
    parts = label.split()
    if len(parts) != 2 or not label.islower() or not parts[1].isalpha() or not is_verb(parts[0]):
        return ()
    verb, noun = parts[0], singular(parts[1])
    if noun in _PEOPLE or parts[1] in _PEOPLE:
        return ()
    if noun == parts[1]:
        return (f"{noun} {verb}",)  # "manage staff": no one of it to count
    return (f"{noun} {verb}", f"{verb} a {noun}", f"{verb} an {noun}", f"{verb} the {noun}")


# the forms of "be" that say what a person is ("you're" is read "you", "re")
_BE_FORMS = ("is", "are", "am", "being", "re")


def _be_forms(label: str) -> tuple[str, ...]:
    """A label of "be" and one adjective ("be flexible", "be proactive") is also the
    adjective after the other forms of "be": "is flexible and able to shift tasks"."""
    parts = label.split()
    if len(parts) != 2 or parts[0] != "be" or not parts[1].replace("-", "").isalpha():
        return ()
    return tuple(f"{form} {parts[1]}" for form in _BE_FORMS)


# heads that only say "the doing of": "user research activities" are user research
_GENERIC_HEADS = ("activities", "techniques")


def _without_head(label: str) -> str | None:
    """A label of three words or more ending in a head that adds nothing but "the doing of"
    is also its other words: "user research activities" is "user research", "ethical
    hacking techniques" "ethical hacking". Not "methods" or "principles", a body of
    knowledge of their own ("digital identity methods" is no digital identity)."""
    parts = label.split()
    if len(parts) >= 3 and parts[-1].casefold() in _GENERIC_HEADS:
        return " ".join(parts[:-1])
    return None


def _is_activity(label: str) -> bool:
    """The label names an activity: a verb and its object ("create prototype of user
    experience solutions", "operate private branch exchange"). An acronym among its
    alternative labels ("UX", "PBX") names the thing worked on, not the activity: an ad's
    "UX designers" or "UX Research" is not creating prototypes."""
    parts = label.split()
    return len(parts) >= 2 and is_verb(parts[0])


def _activity(label: str) -> str | None:
    """The activity a label made of a light verb and its object names: "conduct ICT code
    review" is code review, "perform ICT security testing" security testing. A light verb
    ("conduct", "perform", "execute", "carry out", "undertake") adds no meaning of its own,
    nor does one of showing ("show", "demonstrate", "display", "exhibit") before a trait:
    "demonstrate cultural awareness" is cultural awareness. ESCO's "ICT" marks the domain,
    which an ad leaves unsaid. One word left ("conduct research", "show interest") is too
    broad to stand alone, and so is what opens with a preposition: "perform
    under pressure" does, "under pressure" says how ("calm under pressure"), and in "conduct
    of erosion control" the verb was a noun."""
    parts = label.split()
    for verb in _LIGHT_VERBS:
        if parts[: len(verb)] == list(verb):
            rest = [w for w in parts[len(verb) :] if w != "ICT"]
            if len(rest) == 1 and verb in _SHOWING and is_mass_noun(rest[0]):
                return rest[0]  # "show empathy": a quality, nothing else
            if len(rest) < 2 or rest[0].casefold() in PREPOSITIONS:
                return None
            return " ".join(rest)
    return None


def _spelled_by(acronym: str, before: list[str]) -> bool:
    """`acronym` (two capitals or more: "PaaS") is the initials of the words just before it,
    small words ("as", "a", "of") skipped or counted."""
    if sum(c.isupper() for c in acronym) < 2 or not acronym.isalpha():
        return False
    letters = acronym.casefold()
    n = len(letters) - 1
    j = len(before) - 1
    while n >= 0 and j >= 0:
        if before[j][:1].casefold() == letters[n]:
            n -= 1
        elif before[j].casefold() not in EMPTY_WORDS:
            return False
        j -= 1
    return n < 0


# Each distinct tuple of styles, shared by the phrases written so (a tuple of at most
# MAX_PHRASE_WORDS of three styles: a bounded set).
_STYLES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _style(word: str) -> str:
    if len(word) > 1 and word.isupper() and word.isalpha():
        return "upper"
    if _CAMEL.search(word):
        return "camel"
    return ""


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
    """(normalised word, start, end) of each word of `text`. A short word in capitals is an
    acronym and keeps its last letter: "GSA" is not the singular of "GSAS"; one with a small
    "s" after it is its plural ("APIs", "URLs", "SDKs": "API", not the word "apis")."""
    for m in _WORD.finditer(text):
        word = m.group()
        folded = word.casefold()
        if _ACRONYM.match(word):
            yield folded, m.start(), m.end()
        elif _ACRONYM_PLURAL.match(word):
            yield folded[:-1], m.start(), m.end()
        else:
            yield _british(singular(folded)), m.start(), m.end()


def _meaningful(key: tuple[str, ...]) -> bool:
    return any(w not in EMPTY_WORDS for w in key)


def find_terms(vocabulary: Vocabulary, text: str, deadline: float | None = None) -> list[Found]:
    """Every phrase of `vocabulary` in `text`, left to right, longest first at each word,
    then the phrases coordination spells out ("web and data analytics" is also web
    analytics), then the skills written as what the person does (`activities`: "managing
    or supervising staff" is Management of Personnel Resources). `deadline` is a `time.monotonic()` value: past it, `ExtractionTimeout` is
    raised."""
    text = mask_owned(mask_boilerplate(text))
    spans = list(words(text))
    defined = _defined_acronyms(text, spans)
    found: list[Found] = []
    at: list[tuple[int, int]] = []  # the first word of each found phrase, and its length
    i = 0
    while i < len(spans):
        if deadline is not None and i % _CHECK_EVERY == 0 and time.monotonic() > deadline:
            raise ExtractionTimeout(f"reading the text stopped after {i} words")
        hit = _longest_at(vocabulary, text, spans, i, defined)
        if hit is None:
            # a letter is read only in a list of names; most words are longer
            one = spans[i][2] - spans[i][1] == 1
            letter = _listed_letter(vocabulary, text, spans, i, defined) if one else ()
            if letter:
                start, end = spans[i][1], spans[i][2]
                found.append(Found(start, end, text[start:end], letter))
                at.append((i, 1))
            i += 1
            continue
        length, terms = hit
        if length > 1 and _overtaken(vocabulary, text, spans, i, length, defined):
            i += 1
            continue
        key = tuple(w for w, _s, _e in spans[i : i + length])
        if length > 1 and defined.get(key[-1]) == key[:-1]:
            # "Software as a Service (SaaS)": the long form and the acronym, both
            both = (*vocabulary.phrases.get(key[:-1], ()), *vocabulary.phrases.get(key[-1:], ()))
            named: dict[tuple[str, str], Term] = {}
            for term in (*terms, *both):
                named.setdefault((term.kind, term.id), term)
            terms = tuple(named.values())
        start, end = spans[i][1], spans[i + length - 1][2]
        found.append(Found(start, end, text[start:end], terms))
        at.append((i, length))
        i += length
    found += _coordinated(vocabulary, text, spans, found, at)
    found += _inverted(vocabulary, text, spans, found)
    found += _doers(vocabulary, text, spans, found)
    return found + _activities(vocabulary, text, found)


def _inverted(
    vocabulary: Vocabulary, text: str, spans: list[tuple[str, int, int]], found: list[Found]
) -> list[Found]:
    """A lower-case compound of two nouns written with "of" ("analysis of existing data" is
    data analysis; the second noun may be the head of its own phrase, "analysis of
    departmental transaction data"), where no phrase found names it already."""
    named = {(t.kind, t.id) for f in found for t in f.terms}
    out: list[Found] = []
    for j in range(1, len(spans) - 1):
        if spans[j][0] != "of" or not text[spans[j][1] : spans[j][2]].islower():
            continue
        head = spans[j - 1]
        k = j + 1
        if k + 1 < len(spans) and not could_be_noun(spans[k][0]) and spans[k][0] not in EMPTY_WORDS:
            k += 1  # one modifier: "existing"
        for modifier in dict.fromkeys((spans[k], _object_head(text, spans, j + 1))):
            key = (modifier[0], head[0])
            terms = vocabulary.phrases.get(key)
            if (
                terms is None
                or key not in vocabulary.common
                or not could_be_noun(modifier[0])
                or not all(text[s:e].islower() for _w, s, e in (head, modifier))
                or not _SPACES.fullmatch(text, head[2], spans[j][1])
                or all((t.kind, t.id) in named for t in terms)
            ):
                continue
            out.append(Found(head[1], modifier[2], text[head[1] : modifier[2]], terms))
            named.update((t.kind, t.id) for t in terms)
            break
    return out


def _object_head(text: str, spans: list[tuple[str, int, int]], k: int) -> tuple[str, int, int]:
    """The last word of the noun phrase opening at word `k` with an adjective, its head:
    "departmental transaction data", "qualitative and quantitative user data" are data. The
    phrase is lower-case words joined by spaces, up to five, "and" or "or" between two
    modifiers; a gerund after its first word opens a clause ("resources including
    contracts"). A phrase opening with a noun is a compound of its own ("management of
    program resources" is no program management), and word `k` is returned."""
    if not is_adjective(spans[k][0]):
        return spans[k]
    last = k
    j = k
    while j + 1 < len(spans) and j + 1 - k < 5:
        word, start, end = spans[j + 1]
        if (
            not _SPACES.fullmatch(text, spans[j][2], start)
            or not text[start:end].islower()
            or word in PREPOSITIONS
            or (word in EMPTY_WORDS and word not in ("and", "or"))
            or is_gerund(word)  # "program resources including contracts": a clause
        ):
            break
        j += 1
        if word not in ("and", "or"):
            last = j
    return spans[last]


# what says the person is the doer: "You're a creative, resourceful problem-solver", "is a
# problem solver"; up to four words (its modifiers) between the article and the compound
_PREDICATE = re.compile(
    r"(?:\b(?:is|are|am|be|being|been)|['’]re)\s+an?\s+(?:[\w-]+,?\s+(?:and\s+)?){0,4}$",
    re.IGNORECASE,
)


def _doers(
    vocabulary: Vocabulary, text: str, spans: list[tuple[str, int, int]], found: list[Found]
) -> list[Found]:
    """A lower-case activity label of a noun and a gerund ("problem solving") written as
    its doer, "a resourceful problem-solver", where the text says the person is one (after
    "is a", "you're a"): the person has the skill. Elsewhere a doer may be someone else
    ("brief the decision makers")."""
    named = {(t.kind, t.id) for f in found for t in f.terms}
    out: list[Found] = []
    for j in range(1, len(spans)):
        doer, noun = spans[j], spans[j - 1]
        written = text[doer[1] : doer[2]]
        gerund = agent_gerund(doer[0]) if written.islower() and written == doer[0] else None
        key = (noun[0], gerund) if gerund else None
        terms = vocabulary.phrases.get(key) if key else None
        if (
            terms is None
            or key not in vocabulary.common
            or not text[noun[1] : noun[2]].islower()
            or not _JOINS.fullmatch(text, noun[2], doer[1])
            or not _PREDICATE.search(text, max(0, noun[1] - 80), noun[1])
            or all((t.kind, t.id) in named for t in terms)
        ):
            continue
        out.append(Found(noun[1], doer[2], text[noun[1] : doer[2]], terms))
        named.update((t.kind, t.id) for t in terms)
    return out


def _activities(vocabulary: Vocabulary, text: str, found: list[Found]) -> list[Found]:
    """The skills written as activities that no phrase found by label names already; two
    activities read at the same words (O*NET's and ESCO's budgeting) are one phrase."""
    named = {(t.kind, t.id) for f in found for t in f.terms}
    done: list[Found] = []
    for label, start, end in written_activities(text):
        terms = vocabulary.named_by(label, SKILL)
        if not terms or all((t.kind, t.id) in named for t in terms):
            continue
        if done and (done[-1].start, done[-1].end) == (start, end):
            done[-1] = Found(start, end, done[-1].text, done[-1].terms + terms)
        else:
            done.append(Found(start, end, text[start:end], terms))
        named.update((t.kind, t.id) for t in terms)
    return done


def _longest_at(
    vocabulary: Vocabulary,
    text: str,
    spans: list[tuple[str, int, int]],
    i: int,
    defined: dict[str, tuple[str, ...]],
    lists: bool = True,
) -> tuple[int, tuple[Term, ...]] | None:
    top = min(max(vocabulary.longest, 3), len(spans) - i)  # 3: `_with_inner_noun`
    for length in range(top, 0, -1):
        key = tuple(w for w, _s, _e in spans[i : i + length])
        terms = vocabulary.phrases.get(key)
        if terms is None and length == 3:
            terms = _with_inner_noun(vocabulary, text, spans, i)
            if terms is not None:
                return 3, terms
        if terms is None:
            continue
        if length == 1 and key[0] in defined:
            # the text says what this acronym stands for: it names what that names, if anything
            meant = vocabulary.phrases.get(defined[key[0]])
            if meant is None:
                continue
            return 1, meant
        if (
            length == 1
            and (key[0] in COMMON_WORDS or _adjective_name(vocabulary, key))
            and not (key in vocabulary.common and is_gerund(key[0]))
            and not _named(text, spans[i])
            and not _listed_as_skill(text, spans, i)
            and not (lists and _listed_with_skill(vocabulary, text, spans, i, defined))
            and not _means(text, spans, i)
            and not _upheld(text, spans, i)
        ):
            continue
        if (
            length == 1
            and key[0] in vocabulary.capitals
            and not _in_capitals(text[spans[i][1] : spans[i][2]])
            and _capitals_needed(key[0])
        ):
            continue
        if not _written_as(vocabulary, text, spans[i : i + length], key):
            continue
        if length == 2 and _complemented(text, spans, i, key):
            continue
        if length == 1 and _vendor_of(vocabulary, text, spans, i):
            continue
        if (key in vocabulary.common or _camel_lost(vocabulary, text, spans, i, key)) and _in_title(
            vocabulary, text, spans, i, length
        ):
            continue
        if length == 1 and (
            _modifies_next(text, spans, i + 1)
            or _among_people(text, spans, i)
            or _modified_by_noun(text, spans, i)
            or _with_its_object(text, spans, i)
        ):
            continue
        return length, terms
    return None


def _with_inner_noun(
    vocabulary: Vocabulary, text: str, spans: list[tuple[str, int, int]], i: int
) -> tuple[Term, ...] | None:
    """An adjective and a noun that make a label, with one noun between them that narrows
    the noun and leaves the adjective's sense: "iterative software development" is
    Iterative development, "agile software development" Agile development. The adjective is
    one and nothing else for the lexicon ("social", also a noun, is not)."""
    (first, _start, end), (middle, m_start, m_end), (last, l_start, _e) = spans[i : i + 3]
    key = (first, last)
    if (
        key not in vocabulary.phrases
        or not is_adjective(first)
        or middle in EMPTY_WORDS
        or not text[m_start:m_end].islower()
        or not could_be_noun(middle)
        or _british(text[m_start:m_end].casefold()) != middle  # no plural inside
        or not _SPACES.fullmatch(text, end, m_start)
        or not _SPACES.fullmatch(text, m_end, l_start)
    ):
        return None
    return vocabulary.phrases[key]


def _adjective_name(vocabulary: Vocabulary, key: tuple[str, ...]) -> bool:
    """A one-word label that is an English adjective and nothing else, which every label
    writes capitalised, is a name ("Administrative", O*NET's knowledge of office procedures;
    "Angular"): as an everyday word, it needs its capital ("administrative support" is not
    it)."""
    return key not in vocabulary.common and is_adjective(key[0])


def _overtaken(
    vocabulary: Vocabulary,
    text: str,
    spans: list[tuple[str, int, int]],
    i: int,
    length: int,
    defined: dict[str, tuple[str, ...]],
) -> bool:
    """A phrase starting inside this one runs past its end and covers more words of meaning:
    that one is the reading ("Working with information security compliance" is working
    with information security compliance, not "working with information")."""
    mine = _meaning(spans[i : i + length])
    for k in range(i + 1, i + length):
        hit = _longest_at(vocabulary, text, spans, k, defined)
        if hit is not None and k + hit[0] > i + length and _meaning(spans[k : k + hit[0]]) > mine:
            return True
    return False


def _meaning(spans: list[tuple[str, int, int]]) -> int:
    return sum(w not in EMPTY_WORDS for w, _s, _e in spans)


def _written_as(
    vocabulary: Vocabulary, text: str, spans: list[tuple[str, int, int]], key: tuple[str, ...]
) -> bool:
    """The words are written as the phrase's labels allow: joined by spaces or hyphens only,
    plural only where a label is (or at the end), acronyms in capitals, and a name with inner
    capitals made of everyday words ("ProFile", "TeamMate"), or that is an English word
    without them ("AccountAbility"), with its capitals and not plural."""
    if len(spans) > 1 and key not in vocabulary.spelled:
        for (_w, _s, end), (_v, start, _e) in itertools.pairwise(spans):
            if not _JOINS.fullmatch(text, end, start):
                return False
    # a compound every label hyphenates: "a team working across Canada" is no team-working
    if (
        len(spans) > 1
        and key not in vocabulary.spaced
        and any(text[a[2] : b[1]] != "-" for a, b in itertools.pairwise(spans))
    ):
        return False
    plural_ok = vocabulary.plural_at.get(key, frozenset())
    styles = vocabulary.styles.get(key, ())
    for j, (word, start, end) in enumerate(spans):
        written = text[start:end]
        plural = _british(written.casefold()) != word and j not in plural_ok
        if plural and j < len(spans) - 1:
            return False
        style = styles[j] if j < len(styles) else ""
        if (
            style == "upper"
            and not _in_capitals(written)
            and (len(spans) > 1 or _capitals_needed(word))
        ):
            return False
        if style == "camel" and (
            plural
            or (
                not _CAMEL.search(written)
                and (written.casefold() in vocabulary.plain_words or is_english(word))
            )
        ):
            return False
    return True


def _capitals_needed(word: str) -> bool:
    """A one-word label every label writes in capitals is found in lower case only when it
    is no English word and long enough not to be an accident ("unix"; not "case", "it" or
    "hr")."""
    return len(word) < 4 or is_english(word)


def _in_capitals(written: str) -> bool:
    """Written in capitals, or an acronym's plural ("APIs")."""
    return written.isupper() or _ACRONYM_PLURAL.match(written) is not None


def _modifies_next(text: str, spans: list[tuple[str, int, int]], j: int) -> bool:
    """The one-word phrase before word `j` modifies the noun at `j`, and the compound names
    something else: "communication channels" are not communication, "leadership changes"
    not leadership. Only a noun modifies this way (an adjective, "agile team", still says
    how the work is done), and not before what a skill is practised with or known by
    ("communication skills", "leadership experience", "Python code" is capitalised). A
    longer phrase keeps its sense before a noun ("information security design", "web
    analytics platforms")."""
    if j >= len(spans) or j == 0:
        return False
    last, after = spans[j - 1], spans[j]
    written = text[after[1] : after[2]]
    return (
        _SPACES.fullmatch(text, last[2], after[1]) is not None
        and written.islower()
        and after[0] not in PRACTISED_WITH
        and after[0] not in EMPTY_WORDS
        and after[0] not in CONJUNCTIONS
        and is_noun(text[last[1] : last[2]].casefold())
        and could_be_noun(written)
    )


def _vendor_of(
    vocabulary: Vocabulary, text: str, spans: list[tuple[str, int, int]], i: int
) -> bool:
    """The one-word name at `i` opens a name of one of its products that the vocabulary does
    not hold: "Google Apps", "Google Play Store" are not Google. A vendor's name is one that
    opens names of other concepts in the vocabulary ("Google Docs", "Google Analytics"; not
    only its own, "Java (computer programming)"); what follows it is a word written with a
    capital, not a name of its own ("Python Flask" lists two), not an acronym or a version
    ("JavaScript ES6") and not the next sentence."""
    j = i + 1
    if spans[i][0] not in vocabulary.vendors or j >= len(spans):
        return False
    word, start, end = spans[j]
    written = text[start:end]
    return (
        written[:1].isupper()
        and written[1:].isalpha()
        and written[1:].islower()
        and word not in EMPTY_WORDS
        and (word,) not in vocabulary.phrases
        and _SPACES.fullmatch(text, spans[i][2], start) is not None
    )


def _complemented(
    text: str, spans: list[tuple[str, int, int]], i: int, key: tuple[str, ...]
) -> bool:
    """ "be" and an adjective followed by a preposition say what the person must do or
    answer for, not what they are: "Be responsible for occasional note-taking" is a duty,
    not the trait "be responsible"."""
    after = i + 2
    return (
        key[0] in ("be", *_BE_FORMS)
        and after < len(spans)
        and spans[after][0] in PREPOSITIONS
        and _SPACES.fullmatch(text, spans[after - 1][2], spans[after][1]) is not None
    )


# words that open the object a gerund takes: "communicating the product vision"
_OBJECT_OPENS = ("the", "a", "an", "our", "their", "its", "your", "this", "these", "those")


def _with_its_object(text: str, spans: list[tuple[str, int, int]], i: int) -> bool:
    """The lower-case one-word phrase at `i` is an action done to a thing the text names,
    its object ("communicating the product vision") or a complement with "of"
    ("administration of government", shared by a list of such nouns: "the recruitment and
    embedding of a capability"): that act, not the ability. Not when the object is
    people ("recruiting the candidates"): dealing with people is the skill itself."""
    word, start, end = spans[i]
    j = i + 1
    if not text[start:end].islower() or j >= len(spans):
        return False
    if _SPACES.fullmatch(text, end, spans[j][1]) and (
        spans[j][0] == "of" or (is_gerund(word) and spans[j][0] in _OBJECT_OPENS)
    ):
        return not _people_object(text, spans, j + 1)
    shared = _shared_of(text, spans, i)  # "the recruitment and embedding of a capability"
    return shared is not None and not _people_object(text, spans, shared + 1)


def _shared_of(text: str, spans: list[tuple[str, int, int]], i: int) -> int | None:
    """Word `i` opens a list of nouns of action sharing one complement with "of": "the
    recruitment and embedding of a capability", "planning, management, and direction of
    the program": the complement follows the item after the conjunction ("research,
    communication, administration of government" lists three fields). The index of that
    "of", if so."""
    k = i
    for _ in range(4):
        after = k + 1
        while after < len(spans) and spans[after][0] in ("and", "or"):
            after += 1
        if after + 1 >= len(spans) or not _LIST_JOIN.fullmatch(text, spans[k][2], spans[after][1]):
            return None
        if not text[spans[after][1] : spans[after][2]].islower():
            return None
        closes = spans[after - 1][0] in ("and", "or")  # the list's last item
        k = after
        nxt = spans[k + 1]
        if closes and nxt[0] == "of" and _SPACES.fullmatch(text, spans[k][2], nxt[1]):
            return k + 1
    return None


def _people_object(text: str, spans: list[tuple[str, int, int]], j: int) -> bool:
    """The object opening at word `j` is people: "the candidates", "diverse participants"."""
    for k in range(j, min(j + 4, len(spans))):
        if spans[k][0] in PEOPLE or spans[k][0] == "candidate":
            return True
        if k + 1 < len(spans) and not _SPACES.fullmatch(text, spans[k][2], spans[k + 1][1]):
            return False
    return False


def _modified_by_noun(text: str, spans: list[tuple[str, int, int]], i: int) -> bool:
    """The lower-case one-word phrase at `i` heads a compound whose first noun narrows it to
    something else: "talent administration" is administering talent programmes, "talent
    programming" the programme of events, not the skill."""
    if i == 0:
        return False
    before, word = spans[i - 1], spans[i]
    written = text[before[1] : before[2]]
    return (
        text[word[1] : word[2]].islower()
        and written.islower()
        and _SPACES.fullmatch(text, before[2], word[1]) is not None
        and before[0] not in EMPTY_WORDS
        and is_noun(written.casefold())
    )


def _among_people(text: str, spans: list[tuple[str, int, int]], i: int) -> bool:
    """The one-word phrase at `i` is listed with people ("reports for leadership and other
    stakeholders", "TTS leadership and staff"), or follows a rank and heads its phrase
    ("with senior leadership across CDS"; not "Senior Python Developer"): it names a group
    of people, the managers, not the skill of leading."""
    if (
        i
        and spans[i - 1][0] in RANKS
        and _SPACES.fullmatch(text, spans[i - 1][2], spans[i][1])
        and not _heads_next(text, spans, i)
    ):
        return True
    for step in (1, -1):
        j = i + step
        if 0 <= j < len(spans) and spans[j][0] in ("and", "or"):
            j += step
        while 0 <= j < len(spans) and spans[j][0] in ("other", "the", "our", "their", "its"):
            j += step
        if not 0 <= j < len(spans):
            continue
        left, right = (spans[i], spans[j]) if step > 0 else (spans[j], spans[i])
        between = text[left[2] : right[1]]
        if len(between) <= 12 and _LIST_JOIN.fullmatch(between) and spans[j][0] in PEOPLE:
            return True
    return False


def _heads_next(text: str, spans: list[tuple[str, int, int]], i: int) -> bool:
    """Word `i` modifies a noun after it ("Senior Python Developer", "senior leadership
    team"): it is not the head of its phrase."""
    j = i + 1
    return (
        j < len(spans)
        and _SPACES.fullmatch(text, spans[i][2], spans[j][1]) is not None
        and spans[j][0] not in EMPTY_WORDS
        and could_be_noun(spans[j][0])
    )


def _camel_lost(
    vocabulary: Vocabulary,
    text: str,
    spans: list[tuple[str, int, int]],
    i: int,
    key: tuple[str, ...],
) -> bool:
    """A name with inner capitals ("AccountAbility") written without them: read as any
    common word would be ("Portability and Accountability Act" is a title)."""
    styles = vocabulary.styles.get(key, ())
    return any(
        style == "camel" and not _CAMEL.search(text, spans[i + j][1], spans[i + j][2])
        for j, style in enumerate(styles)
    )


def _in_title(
    vocabulary: Vocabulary, text: str, spans: list[tuple[str, int, int]], i: int, length: int
) -> bool:
    """A common-noun phrase written capitalised inside a longer run of capitalised words is
    part of a name or a title ("Supervisory Contact Center Modernization Specialist", "TTS
    Leadership Team", "Plan of Actions and Milestones"), not the skill. A run that is a
    conjunction and a name on its other side is a list of names ("Git and GitHub")."""
    inside = spans[i : i + length]
    if not all(text[s].isupper() for w, s, _e in inside if w not in EMPTY_WORDS):
        return False
    after = _capital_beside(text, spans, i + length - 1, 1)
    before = _capital_beside(text, spans, i, -1)
    if before is not None and _SENTENCE_END.search(
        text[max(0, spans[before][1] - 40) : spans[before][1]]
    ):
        before = None
    if after is not None and _listed_name(vocabulary, spans, i + length, after):
        after = None
    if before is not None and _listed_name(vocabulary, spans, before + 1, before):
        before = None
    return after is not None or before is not None


def _listed_name(
    vocabulary: Vocabulary, spans: list[tuple[str, int, int]], between: int, k: int
) -> bool:
    """Word `k` is a name the vocabulary holds (a phrase no label writes in lower case:
    "GitHub"), and the word at `between`, next to it, is "and" or "or": the two are listed."""
    return spans[between][0] in ("and", "or") and (
        (spans[k][0],) in vocabulary.phrases and (spans[k][0],) not in vocabulary.common
    )


def _capital_beside(text: str, spans: list[tuple[str, int, int]], i: int, step: int) -> int | None:
    """The capitalised word next to word `i` in the same run (`step` 1: after, -1: before),
    across at most two small words ("of", "and") and an "&". A small word written with a
    capital ("Experience With Cloud Computing") says the line capitalises every word, as a
    name does not: then there is no run."""
    j = i
    for _ in range(3):
        k = j + step
        if not 0 <= k < len(spans):
            return None
        left, right = (spans[j], spans[k]) if step > 0 else (spans[k], spans[j])
        if not _TITLE_JOINS.fullmatch(text, left[2], right[1]):
            return None
        word, start, _end = spans[k]
        if text[start].isupper():
            return None if word in EMPTY_WORDS else k
        if word not in EMPTY_WORDS:
            return None
        j = k
    return None


def _defined_acronyms(text: str, spans: list[tuple[str, int, int]]) -> dict[str, tuple[str, ...]]:
    """Acronyms the text defines, "Paperwork Reduction Act (PRA)": each to the words it
    stands for (their initials spell it; small words may be skipped)."""
    out: dict[str, tuple[str, ...]] = {}
    for k, (word, start, end) in enumerate(spans):
        written = text[start:end]
        if not (
            text[start - 1 : start] == "("
            and text[end : end + 1] == ")"
            and sum(c.isupper() for c in written) >= 2
            and written.isalpha()
            and len(written) <= 8
        ):
            continue
        letters = written.casefold()
        n = len(letters) - 1
        j = k - 1
        while n >= 0 and j >= 0 and k - j <= len(letters) + 4:
            if text[spans[j][1]].casefold() == letters[n]:
                n -= 1
            elif spans[j][0] not in EMPTY_WORDS:
                break
            j -= 1
        if n < 0:
            out.setdefault(word, tuple(w for w, _s, _e in spans[j + 1 : k]))
    return out


def _coordinated(
    vocabulary: Vocabulary,
    text: str,
    spans: list[tuple[str, int, int]],
    found: list[Found],
    at: list[tuple[int, int]],
) -> list[Found]:
    """Phrases sharing words with a found one across "and" or "or": "web and data
    analytics" is also web analytics, "written and oral communication" also written
    communication, "data analysis and visualization" also data visualization."""
    out: list[Found] = []
    seen = {(f.start, f.end) for f in found}
    for f, (i, n) in zip(found, at, strict=True):
        last = i + n  # one past the phrase's last word
        c = _conjunction_before(text, spans, i)
        if c is None:  # one word between: "written and oral communication"
            c = _conjunction_before(text, spans, i - 1)
        if c is not None and last - (c + 2) >= 1:
            tail = tuple(w for w, _s, _e in spans[c + 2 : last])
            for a in _conjuncts(text, spans, c):
                _add_found(vocabulary, text, (spans[a][0], *tail), spans[a][1], f.end, out, seen)
        if n >= 2 and last < len(spans):
            c = _conjunction_before(text, spans, last + 1)
            if c == last and last + 1 < len(spans):
                head = tuple(w for w, _s, _e in spans[i : last - 1])
                b = spans[last + 1]
                _add_found(vocabulary, text, (*head, b[0]), f.start, b[2], out, seen)
    for c, (word, _s, _e) in enumerate(spans):
        # "data products and visualizations": the modifier of the first noun is the
        # second's too, whether or not the first pair is a phrase
        if word in ("and", "or") and 2 <= c < len(spans) - 1:
            modifier, second = spans[c - 2], spans[c + 1]
            if (
                _conjunction_before(text, spans, c + 1) == c
                and _SPACES.fullmatch(text, modifier[2], spans[c - 1][1])
                and modifier[0] not in EMPTY_WORDS
            ):
                key = (modifier[0], second[0])
                _add_found(vocabulary, text, key, modifier[1], second[2], out, seen)
    return out


def _conjunction_before(text: str, spans: list[tuple[str, int, int]], i: int) -> int | None:
    """The index of the "and" or "or" just before word `i`, if there is one."""
    if i < 2 or i >= len(spans):
        return None
    word, _start, end = spans[i - 1]
    if word in ("and", "or") and _JOINS.fullmatch(text, end, spans[i][1]):
        return i - 1
    return None


def _conjuncts(text: str, spans: list[tuple[str, int, int]], c: int) -> list[int]:
    """The single words coordinated before the conjunction at `c`: "A, B and" -> A, B."""
    out: list[int] = []
    j = c - 1
    if j >= 0 and spans[j][0] == "and" and spans[c][0] == "or":  # "and/or"
        j -= 1
    while j >= 0 and len(out) < 3:
        out.append(j)
        if j == 0 or not _LIST_COMMA.fullmatch(text, spans[j - 1][2], spans[j][1]):
            break
        j -= 1
    return out


def _add_found(
    vocabulary: Vocabulary,
    text: str,
    key: tuple[str, ...],
    start: int,
    end: int,
    out: list[Found],
    seen: set[tuple[int, int]],
) -> None:
    terms = vocabulary.phrases.get(key)
    if terms and len(key) > 1 and (start, end) not in seen:
        seen.add((start, end))
        out.append(Found(start, end, text[start:end], terms))


def _named(text: str, span: tuple[str, int, int]) -> bool:
    """An everyday word names a skill only capitalised, not opening a sentence, and not
    inside a run of capitalised words (a title: "Strategic Plan", "Customer Service")."""
    start, end = span[1], span[2]
    if not text[start].isupper():
        return False
    if _SENTENCE_END.search(text[max(0, start - 40) : start]) or _title_line(text, start):
        return False
    before = _LAST_WORD.search(text[max(0, start - 40) : start])
    after = _FIRST_WORD.match(text[end : end + 40])
    return not any(m and m.group(1)[:1].isupper() for m in (before, after))


def _title_line(text: str, at: int) -> bool:
    """The line holding `at` is a title: no list marker, no comma, no closing stop, two
    words or more, every word capitalised but the small ones ("Head of Design", a posting's title). There a
    capital is the line's style, not a name."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start : end if end >= 0 else len(text)]
    if _BULLET.match(line) or "," in line or line.rstrip().endswith((".", ";", "!", "?")):
        return False  # a list item, a list ("Skills: Design, Writing") or a sentence
    found = [(w, line[s]) for w, s, _e in words(line)]
    return len(found) >= 2 and all(
        first.isupper() or first.isdigit() for w, first in found if w not in EMPTY_WORDS
    )


def _listed_as_skill(text: str, spans: list[tuple[str, int, int]], i: int) -> bool:
    """Word `i` is one of a list of skills: "communication skills", "Strong communication,
    coordination and collaboration skills" (words joined by commas, "and" or "or", the last
    followed by "skills")."""
    j = i + 1
    while j < len(spans) and j <= i + 8:
        word, start, _end = spans[j]
        if word == "skill" and _JOINS.fullmatch(text, spans[j - 1][2], start):
            return True
        if word in ("and", "or") and j + 1 < len(spans):
            j += 2  # the next item follows the conjunction
            continue
        if not _LIST_COMMA.fullmatch(text, spans[j - 1][2], start):
            return False
        j += 1
    return False


def _listed_with_skill(
    vocabulary: Vocabulary,
    text: str,
    spans: list[tuple[str, int, int]],
    i: int,
    defined: dict[str, tuple[str, ...]],
) -> bool:
    """Word `i` is an item of a list whose next or previous item is a skill that is no
    everyday word ("networking, email, social media": email is the tool, as social media
    is). The word must be a whole item: "open source, source control" is not."""
    before = text[spans[i - 1][2] if i else 0 : spans[i][1]]
    after = text[spans[i][2] : spans[i + 1][1] if i + 1 < len(spans) else len(text)]
    if not (i == 0 or _LIST_JOIN.fullmatch(before) or _ITEM_OPENS.search(before)) or not (
        _LIST_JOIN.fullmatch(after) or _ITEM_ENDS.match(after)
    ):
        return False
    j = i + 1
    if j < len(spans) and _LIST_JOIN.fullmatch(text, spans[i][2], spans[j][1]):
        while j < len(spans) and spans[j][0] in ("other", "the", "our", "their", "its"):
            j += 1
        if j < len(spans) and _plain_skill(vocabulary, text, spans, j, defined):
            return True
    for k in range(i - 1, max(-1, i - 1 - vocabulary.longest), -1):
        if not _LIST_JOIN.fullmatch(text, spans[i - 1][2], spans[i][1]):
            break
        hit = _longest_at(vocabulary, text, spans, k, defined, lists=False)
        if hit is not None and k + hit[0] == i and _plain_hit(spans, k, hit[0]):
            return True
    return False


# prepositions that say through what something is done: "communicating through email"
_MEANS = ("via", "through")


def _means(text: str, spans: list[tuple[str, int, int]], i: int) -> bool:
    """Word `i` is what something is done through ("communicating through email"), or one of
    a list of single words that is ("Respond to inquiries via tickets, emails, and other
    channels"): a channel or a tool, as its label names it. It must be the whole object:
    "through design problems" is through problems."""
    after = i + 1
    if (
        after < len(spans)
        and _SPACES.fullmatch(text, spans[i][2], spans[after][1])
        and spans[after][0] not in PREPOSITIONS
        and could_be_noun(spans[after][0])
    ):
        return False
    j = i
    for _ in range(6):  # a short list of single words
        if j == 0:
            return False
        k = j - 1
        if spans[k][0] in _MEANS and _SPACES.fullmatch(text, spans[k][2], spans[j][1]):
            return True
        while k > 0 and spans[k][0] in ("and", "or", "other", "the", "our", "their", "its"):
            k -= 1
        if not _LIST_JOIN.fullmatch(text, spans[k][2], spans[j][1]):
            return False
        j = k
    return False


# verbs whose object is a value the person holds: "uphold ... integrity and fairness"
_UPHOLDING = ("uphold", "upholding", "upheld", "embody", "embodie", "embodying", "embodied")


def _upheld(text: str, spans: list[tuple[str, int, int]], i: int) -> bool:
    """Word `i` is a one-word item of what the person upholds or embodies, a list of values
    ("upholding impact, openness, integrity and fairness", "uphold accessibility standards,
    diversity, impact, integrity"): a trait held, as its label names it. Not the data's
    "confidentiality, integrity, and availability", nor "our organizational values"."""
    if i == 0 or not (_item_end(text, spans, i) and _item_start(text, spans, i)):
        return False
    for j in range(i - 1, max(-1, i - 13), -1):
        if spans[j][0] in _UPHOLDING:
            return True
        between = text[spans[j][2] : spans[j + 1][1]]
        if not (_SPACES.fullmatch(between) or _LIST_JOIN.fullmatch(between)):
            return False  # the list ends: a stop, a colon, a bracket
        if spans[j][0] in PREPOSITIONS:
            return False  # "uphold the standards of the team, integrity" is no list of values
    return False


def _item_start(text: str, spans: list[tuple[str, int, int]], i: int) -> bool:
    """Word `i` opens an item of a list: after a comma, "and" or "or", or a verb of holding."""
    before = spans[i - 1]
    if before[0] in ("and", "or", *_UPHOLDING):
        return _SPACES.fullmatch(text, before[2], spans[i][1]) is not None
    return _LIST_COMMA.fullmatch(text, before[2], spans[i][1]) is not None


def _item_end(text: str, spans: list[tuple[str, int, int]], i: int) -> bool:
    """Word `i` closes an item of a list: before a comma, "and" or "or", or a stop."""
    end = spans[i][2]
    if i + 1 < len(spans) and spans[i + 1][0] in ("and", "or"):
        return _SPACES.fullmatch(text, end, spans[i + 1][1]) is not None
    return _ITEM_ENDS.match(text, end) is not None or not text[end:].strip()


def _listed_letter(
    vocabulary: Vocabulary,
    text: str,
    spans: list[tuple[str, int, int]],
    i: int,
    defined: dict[str, tuple[str, ...]],
) -> tuple[Term, ...]:
    """What a label of one capital letter names where word `i` is that letter, as a whole
    item of a list beside a name ("R, Python, Scala", "Java, C and SQL"): alone, a letter
    is an initial, a grade or a list's marker ("Plan A", and "(such as R)" is one example,
    read as no skill asked)."""
    span = spans[i]
    terms = vocabulary.letters.get(text[span[1] : span[2]], ())
    if not terms:
        return ()
    gap = spans[i - 1][2] if i else 0  # the opener is between the word before and this one
    opens = _LETTER_OPENS.search(text, gap, span[1]) or (
        i and spans[i - 1][0] in ("and", "or") and _SPACES.fullmatch(text, spans[i - 1][2], span[1])
    )
    closes = _LETTER_CLOSES.match(text, span[2])
    if not (opens and closes):
        return ()
    for j in (i - 1, i + 1):
        while 0 <= j < len(spans) and spans[j][0] in ("and", "or"):
            j += 1 if j > i else -1
        if not 0 <= j < len(spans) or not text[spans[j][1] : spans[j][1] + 1].isupper():
            continue
        for k in range(j, max(-1, j - vocabulary.longest), -1):
            hit = _longest_at(vocabulary, text, spans, k, defined, lists=False)
            if hit is not None and k + hit[0] > j and _plain_hit(spans, k, hit[0]):
                return terms
    return ()


# a letter's item of a list opens after a comma, a bracket, a colon or a semicolon, and
# closes before one, a stop, or "and" / "or"
_LETTER_OPENS = re.compile(r"[,(:;]\s*$")
_LETTER_CLOSES = re.compile(r"\s*(?:[,);]|\.(?!\w)|(?:and|or)\s)")


def _plain_skill(
    vocabulary: Vocabulary,
    text: str,
    spans: list[tuple[str, int, int]],
    j: int,
    defined: dict[str, tuple[str, ...]],
) -> bool:
    hit = _longest_at(vocabulary, text, spans, j, defined, lists=False)
    return hit is not None and _plain_hit(spans, j, hit[0])


def _plain_hit(spans: list[tuple[str, int, int]], j: int, length: int) -> bool:
    """A phrase of several words, or one word that is no everyday word."""
    return length > 1 or spans[j][0] not in COMMON_WORDS


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
