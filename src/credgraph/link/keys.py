"""Matching keys for labels and codes, shared by the index and the linker.

A label key is `normalise_label` (NFKC, case-folded, whitespace collapsed) with punctuation
folded to spaces (`+` and `#` are kept: "C++" and "C#" are not "C"), "&" read as "and", and
plurals folded word by word ("Registered Nurses" and "Registered Nurse" meet). The same
function keys the taxonomy's labels and the mentions, so the folding is symmetric.

>>> label_key("Problem-Solving Skills")
'problem solving'
>>> label_key("  Registered  Nurses ")
'registered nurse'
>>> label_key("C++ / C#")
'c++ c#'
>>> derived_labels("Structured query language SQL")
('sql', 'structured query language')
"""

from __future__ import annotations

import re
from functools import lru_cache

from credgraph.model.ids import normalise_label

_WORD = re.compile(r"[\w+#]+")  # letters, digits, and + and # ("C++", "C#"); "_" is a space
_KEEP_S = ("ss", "us", "is", "os", "as")
_TRAILING_NOISE = frozenset({"skill", "skills"})
_NUMBER = re.compile(r"^(\d+(\.\d+)?|i{1,3}|iv|v|vi{1,3}|ix|x)$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9+#]{1,7}$")
_SOC = re.compile(r"(\d{2}-\d{4})(\.\d{2})?")
_ONET_ELEMENT = re.compile(r"\d\.[A-Z]\.\d+(\.[a-z](\.\d+)?)?")


@lru_cache(maxsize=100_000)
def _singular(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def label_key(label: str) -> str:
    """The key two labels must share to be the same label."""
    text = label.casefold() if label.isascii() else normalise_label(label)
    words = [_singular(w) for w in _WORD.findall(text.replace("&", " and ").replace("_", " "))]
    while len(words) > 1 and words[-1] in _TRAILING_NOISE:
        words.pop()
    return " ".join(words)


def number_tokens(key: str) -> frozenset[str]:
    """Numbers and roman numerals in a key: "Calculus I" and "Calculus II" must not fuzz."""
    return frozenset(w for w in key.split(" ") if _NUMBER.match(w))


def _acronym_of(acronym: str, phrase: list[str]) -> bool:
    """ "HTML" abbreviates "Hypertext markup language": its letters appear in order in the
    phrase, the first one in the first word."""
    text = " ".join(phrase).lower()
    letters = acronym.lower()
    if not phrase or letters[0] not in phrase[0].lower():
        return False
    at = text.find(letters[0])
    for letter in letters[1:]:
        at = text.find(letter, at + 1)
        if at < 0:
            return False
    return True


def _product_name(words: list[str]) -> bool:
    """A distinctive product name: camel case or an acronym somewhere ("PowerPoint",
    "AutoCAD", "SQL Server"), never a plain word ("Project", "Database", "Word")."""
    return any(any(c.isupper() for c in w[1:]) for w in words)


def derived_labels(label: str, *, product: bool = True) -> tuple[str, ...]:
    """Extra keys for labels written as O*NET writes its technology examples, "Vendor
    Product", "Long name ACRONYM" or "Name software":

    * "Structured query language SQL" is also "SQL" and "structured query language";
    * "Salesforce software" is also "Salesforce" (not for product=False: a commodity title
      such as "Accounting software" is a category, and "accounting" is another concept);
    * "Microsoft PowerPoint" is also "PowerPoint", "The MathWorks MATLAB" also "MATLAB", when
      what is left is a distinctive product name (not "Microsoft Project" -> "Project").
    """
    words = label.split()
    out: list[str] = []
    if product and len(words) >= 2 and words[-1].lower() == "software":
        words = words[:-1]
        out.append(" ".join(words))
    if len(words) >= 3 and _ACRONYM.match(words[-1]) and _acronym_of(words[-1], words[:-1]):
        out += [words[-1], " ".join(words[:-1])]
    elif product and len(words) <= 3:
        vendor = 2 if words[0].lower() == "the" else 1
        rest = words[vendor:]
        if rest and len(words) <= 4 and _product_name(rest):
            out.append(" ".join(rest))
    return tuple(dict.fromkeys(k for x in out if (k := label_key(x))))


def code_key(code: str) -> str:
    """Codes compare trimmed and case-blind, except O*NET element ids, whose case matters
    (2.A.1.a); a bare SOC code `15-1252` is the O*NET-SOC `15-1252.00`."""
    text = code.strip()
    soc = _SOC.fullmatch(text)
    if soc:
        return soc.group(1) + (soc.group(2) or ".00")
    if _ONET_ELEMENT.fullmatch(text):
        return text
    return text.casefold()


def soc_code_in(text: str) -> str | None:
    """An O*NET-SOC code at the end of a URI or text (`.../link/summary/15-1251.00`)."""
    found = _SOC.search(text.rstrip("/").rsplit("/", 1)[-1].rsplit("=", 1)[-1])
    return code_key(found.group(0)) if found else None


def is_onet_element(code: str) -> bool:
    return bool(_ONET_ELEMENT.fullmatch(code.strip()))
