"""The words of a credential name, as a resume writes it or a publisher does.

    words("AWS Certified Solutions Architect – Associate (SAA-C03)")
    -> ["aws", "certified", "solutions", "architect", "associate", "saa", "c03"]

Case, accents, trademark signs and punctuation inside a word ("(ISC)²", "Scrum.org",
"Master's") do not count; `+` and `#` do ("A+", "C#"). `core` drops the words that say a
name is a credential rather than which one ("certified", "certificate", "badge"), the
platforms a course is taken on, and years a graph does not know, so "Google Data Analytics cert, Coursera" and
"Google Data Analytics Professional Certificate" share their core. `acronyms` gives the
initials people write for a name: "Project Management Professional" -> "pmp". `respelled`
writes both sides of a match the same way where people write one name several ways ("A Plus"
and "A+", "PSM 1" and "PSM I").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Sequence

# Marks removed without splitting a word: "(ISC)²" is "isc2", "Scrum.org" is "scrumorg".
_JOINING = re.compile(r"[.'’()\[\]®™©℠]")
_WORD = re.compile(r"[^\W_]+[+#]*|[+#]+", re.UNICODE)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")  # "ScrumMaster", not "CompTIA"
_PARENTHESISED = re.compile(r"\(([^()]{2,40})\)(?![\w²³¹])")  # not "(ISC)²"
_LEADING_CODE = re.compile(r"^[A-Z][A-Z0-9+]{1,7}\s+[–—-]\s+")  # "CISSP – ..."
_LATIN_END = 0x250  # accents are dropped from Latin letters only: "データ" keeps its marks
YEAR = re.compile(r"^(19|20)\d\d$")
_LETTERS_MEET_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
# Levels are numbered both ways ("Professional Scrum Master I", "PSM 1"): as roman numerals.
_ROMAN = {"1": "i", "2": "ii", "3": "iii"}
# Abbreviations people write for phrases of credential names ("AWS ML Specialty", "Red Hat
# Certified Sysadmin"): a resume's word read as its phrase when the index has no such word.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "ml": ("machine", "learning"),
    "pm": ("project", "management"),
    "sysadmin": ("system", "administrator"),
    "sa": ("solutions", "architect"),
}
# Words after which a resume gives the holder's number, not the credential's ("Cert ID
# 190-123-456", "CISSP #123456").
_NUMBER_MARKERS = frozenset({"id", "#", "no", "number", "nr"})

# Words that say what kind of thing a name is, not which one.
KIND_WORDS = frozenset(
    {
        "certified",
        "certification",
        "certifications",
        "certificate",
        "certificates",
        "cert",
        "certs",
        "certificat",
        "zertifikat",
        "badge",
        "badges",
        "credential",
        "credentials",
        "exam",
        "program",
        "programme",
        "course",
        "microcredential",
        "micro",
        "credentialed",
    }
)
# Where a course was taken, and the words around a resume line that say nothing of it.
NOISE_WORDS = frozenset(
    {
        "coursera",
        "edx",
        "udemy",
        "udacity",
        "linkedin",
        "credly",
        "via",
        "from",
        "issued",
        "by",
        "earned",
        "completed",
        "obtained",
        "expires",
        "expired",
        "valid",
        "until",
        "through",
        "id",
        "no",
        "number",
        "current",
        "active",
        "progress",
        "pending",
        "holder",
    }
)
# Words that say which level or role of a family a credential is: two names differing in
# one of these are two credentials.
LEVEL_WORDS = frozenset(
    {
        "associate",
        "professional",
        "expert",
        "specialty",
        "specialist",
        "foundation",
        "foundations",
        "fundamentals",
        "practitioner",
        "advanced",
        "intermediate",
        "beginner",
        "entry",
        "senior",
        "junior",
        "master",
        "architect",
        "administrator",
        "developer",
        "engineer",
        "analyst",
        "i",
        "ii",
        "iii",
        "iv",
        "v",
    }
)
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "the",
        "of",
        "in",
        "for",
        "to",
        "with",
        "on",
        "at",
        "&",
        "und",
        "de",
        "des",
        "la",
        "le",
        "et",
    }
)
_FILLER = KIND_WORDS | NOISE_WORDS | STOP_WORDS


def words(text: str) -> list[str]:
    """The words of `text`, case-folded and accent-free; [] for text without any."""
    text = _JOINING.sub("", text)
    if text.isascii():  # most names: nothing to normalise or strip
        return _WORD.findall(text.lower())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(
        ch
        for n, ch in enumerate(text)
        if not (unicodedata.combining(ch) and n and ord(text[n - 1]) < _LATIN_END)
    )
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def respelled(tokens: Sequence[str], *, roman: bool = True) -> list[str]:
    """`tokens` (from `words`) as a match compares them: "plus" after a word is its "+"
    ("CompTIA A Plus" is "A+"), and (with `roman`) a word that is the number 1, 2 or 3 the
    roman numeral levels are also numbered with ("PSM 1" is "PSM I")."""
    out: list[str] = []
    for token in tokens:
        if token == "plus" and out and out[-1][-1].isalnum():
            out[-1] += "+"
        else:
            out.append(as_roman(token) if roman else token)
    return out


def as_roman(token: str) -> str:
    return _ROMAN.get(token, token)


def letters_and_digits(token: str) -> list[str]:
    """`token` split where letters meet digits: "az900" is ["az", "900"]."""
    return [part for part in _LETTERS_MEET_DIGITS.split(token) if part]


def core(tokens: Sequence[str], known: Container[str] | None = None) -> list[str]:
    """`tokens` without kind, noise and stop words, nor the numbers a resume gives after
    "ID", "#" or "No." (the holder's, not the credential's); "professional certificate" (a
    Coursera programme's kind) counts as kind words too. Given the `known` words of an index, a year
    it does not know ("2023" of "PMP, 2023") goes as well: "Windows Server 2019" keeps its."""
    out: list[str] = []
    numbering = False
    for n, token in enumerate(tokens):
        if numbering and token.isdigit():
            continue  # the holder's number: "ID 190-123-456"
        numbering = token in _NUMBER_MARKERS
        if token in _FILLER or token == "#":
            continue
        if known is not None and YEAR.match(token) and token not in known:
            continue
        if token == "professional" and n + 1 < len(tokens) and tokens[n + 1] in KIND_WORDS:
            continue
        out.append(token)
    return out


def acronyms(name: str, leave_out: Iterable[str] = ()) -> set[str]:
    """Initials of a name's words (camel case split: "ScrumMaster" gives "sm"), with and
    without its kind words and the words in `leave_out` (the issuer's); only initials of
    three letters or more, and never of a name with a single word."""
    bare = _PARENTHESISED.sub(" ", name)
    split = words(_CAMEL.sub(" ", _JOINING.sub("", bare)))
    lettered = [w for w in split if w[0].isalpha() and w not in STOP_WORDS]
    skip = set(leave_out)
    variants = (
        lettered,
        [w for w in lettered if w not in KIND_WORDS],
        [w for w in lettered if w not in skip],
        [w for w in lettered if w not in KIND_WORDS and w not in skip],
    )
    return {"".join(w[0] for w in v) for v in variants if len(v) >= 3}


def parenthesised_codes(name: str) -> set[str]:
    """Short codes a name carries in parentheses, as publishers write them: "Cisco Certified
    Network Associate (CCNA)" -> {"ccna"}; a longer aside is not a code."""
    out: set[str] = set()
    for inner in _PARENTHESISED.findall(name):
        found = words(inner)
        if 1 <= len(found) <= 2 and len("".join(found)) <= 12:
            out.add(" ".join(found))
    return out


def spellings(name: str) -> list[str]:
    """The ways `name` is written: as published; without the code it carries in parentheses
    or before a dash ("Project Management Professional (PMP)", "CISSP – Certified
    Information Systems Security Professional"); with camel-case words split ("Certified
    ScrumMaster" is also "Certified Scrum Master")."""
    found = [name]
    bare = _LEADING_CODE.sub("", _PARENTHESISED.sub(" ", name)).strip()
    if bare and bare != name:
        found.append(bare)
    for text in list(found):
        split = _CAMEL.sub(" ", text)
        if split != text:
            found.append(split)
    return found


def key(tokens: Iterable[str]) -> str:
    return " ".join(tokens)
