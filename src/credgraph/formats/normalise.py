"""Normalisation shared by every format: types, durations, money, credits, text.

Each function takes what a document says, as loosely typed as documents are, and returns a
typed value or None when the value is missing or cannot be read with confidence.
"""

from __future__ import annotations

import html
import math
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

from credgraph.formats.durations import iso_hours, published_duration
from credgraph.model.ids import normalise_text
from credgraph.model.values import CredentialType, Credits, Duration, Money

# -- credential types --------------------------------------------------------------------------
_TYPE_WORDS: list[tuple[str, CredentialType]] = [
    # Longest, most specific first: "microcredential" before "credential", "certification"
    # before "certificate".
    ("microcredential", CredentialType.MICRO_CREDENTIAL),
    ("micro-credential", CredentialType.MICRO_CREDENTIAL),
    ("micro credential", CredentialType.MICRO_CREDENTIAL),
    ("nanodegree", CredentialType.MICRO_CREDENTIAL),
    ("certification", CredentialType.CERTIFICATION),
    ("certificate", CredentialType.CERTIFICATE),
    ("diploma", CredentialType.CERTIFICATE),
    ("license", CredentialType.LICENSE),
    ("licence", CredentialType.LICENSE),
    ("bachelor", CredentialType.DEGREE),
    ("master", CredentialType.DEGREE),
    ("doctor", CredentialType.DEGREE),
    ("associate degree", CredentialType.DEGREE),
    ("associatedegree", CredentialType.DEGREE),
    ("degree", CredentialType.DEGREE),
    ("badge", CredentialType.BADGE),
    ("course", CredentialType.COURSE),
    ("learningopportunity", CredentialType.COURSE),
    ("learningprogram", CredentialType.COURSE),
    ("learning program", CredentialType.COURSE),
    ("program", CredentialType.COURSE),
]


def credential_type(*hints: Any) -> CredentialType:
    """The credential type from any hints a document gives (CTDL class, OB 3.0
    achievementType, schema.org credentialCategory, Credly type_category...), first match wins.

    >>> credential_type("ceterms:BachelorOfScienceDegree")
    <CredentialType.DEGREE: 'DEGREE'>
    >>> credential_type(None, "MicroCredential")
    <CredentialType.MICRO_CREDENTIAL: 'MICRO_CREDENTIAL'>
    """
    for hint in hints:
        for text in _strings(hint):
            key = text.strip().lower()
            key = key.split(":", 1)[1] if ":" in key and not key.startswith("http") else key
            key = key.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            if key in ("professionaldoctorate", "researchdoctorate"):
                return CredentialType.DEGREE
            for word, kind in _TYPE_WORDS:
                if word in key:
                    return kind
    return CredentialType.OTHER


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    return []


# -- durations -----------------------------------------------------------------------------------
def hours_from_iso8601(value: Any) -> float | None:
    """ISO 8601 duration to study hours, by the convention of formats.durations (a day is 8
    hours of study, a week 40, a year 1,500-1,800); a calendar unit gives its upper bound.

    >>> hours_from_iso8601("PT12H30M")
    12.5
    >>> hours_from_iso8601("P2D")
    16.0
    >>> hours_from_iso8601("P6M")
    900.0
    """
    hours = iso_hours(value)
    return hours[1] if hours else None


_HOURS_TEXT = re.compile(
    r"(?P<a>\d+(?:[.,]\d+)?)\s*(?:(?:-|–|to)\s*(?P<b>\d+(?:[.,]\d+)?)\s*)?"
    r"(?P<unit>hours?|hrs?|h\b|minutes?|mins?)",
    re.IGNORECASE,
)


_RATE = re.compile(r"(?:/|\bper\b|\ba\b)\s*(?:week|wk|month|day)", re.IGNORECASE)


def hours_range_from_text(value: Any) -> tuple[float, float] | None:
    """(fewest, most) hours from free text such as "12 hours", "10-12 hrs", "90 minutes", or
    an ISO 8601 duration. Weeks, months, other units and weekly rates give None.

    >>> hours_range_from_text("10-12 hrs")
    (10.0, 12.0)
    >>> hours_range_from_text("5-10 hours/week") is None
    True
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (float(value), float(value)) if value > 0 else None
    if not isinstance(value, str):
        return None
    if _RATE.search(value):
        return None  # a weekly or monthly rate is not a total
    iso = iso_hours(value)
    if iso is not None:
        return iso
    match = _HOURS_TEXT.search(value)
    if not match:
        return None
    low = float(match.group("a").replace(",", "."))
    high = float((match.group("b") or match.group("a")).replace(",", "."))
    if match.group("unit").lower().startswith("min"):
        low, high = low / 60, high / 60
    if high <= 0:
        return None
    return round(min(low, high), 4), round(high, 4)


def hours_from_text(value: Any) -> float | None:
    """Hours from free text such as "12 hours", "Approx. 31 hours", "10-12 hrs", "90 minutes".
    A range gives its upper bound. Weeks, months and other units give None.

    >>> hours_from_text("Approx. 31 hours to complete")
    31.0
    >>> hours_from_text("10-12 hrs")
    12.0
    >>> hours_from_text("6 weeks") is None
    True
    >>> hours_from_text("5-10 hours/week") is None
    True
    """
    found = hours_range_from_text(value)
    return found[1] if found else None


def duration_from_text(value: Any) -> Duration | None:
    """The published duration text (or hours) kept as a Duration, with its hours when the
    text gives a total (see hours_range_from_text)."""
    found = hours_range_from_text(value)
    return published_duration(value, *(found or (None, None)))


# -- money and credits ----------------------------------------------------------------------------
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF"}
_AMOUNT = re.compile(r"-?\d[\d,.\s']*")


def finite_number(value: int | float) -> float | None:
    """`value` as a finite float, or None: JSON allows `1e400` (infinity once read) and
    integers of any length, and neither is a count or an amount."""
    try:
        number = float(value)
    except OverflowError:  # an integer past a float's range
        return None
    return number if math.isfinite(number) else None


def _amount(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return finite_number(value)
    if not isinstance(value, str):
        return None
    match = _AMOUNT.search(value)
    if not match:
        return None
    digits = re.sub(r"[\s']", "", match.group(0))
    if "," in digits and "." in digits:
        # The later separator is the decimal one: 1,234.50 or 1.234,50
        digits = (
            digits.replace(",", "")
            if digits.rfind(".") > digits.rfind(",")
            else digits.replace(".", "").replace(",", ".")
        )
    elif "," in digits:
        head, _, tail = digits.rpartition(",")
        digits = digits.replace(",", "") if len(tail) == 3 else head.replace(",", "") + "." + tail
    try:
        return float(Decimal(digits))
    except InvalidOperation:
        return None


def money(amount: Any, currency: Any = None) -> Money | None:
    """Money from an amount (number or text such as "$1,500.00") and a currency code or
    symbol. None when the amount is missing, negative or the currency unknown.

    >>> money("1.234,50 €")
    Money(amount=1234.5, currency='EUR')
    >>> money(99, "usd")
    Money(amount=99.0, currency='USD')
    """
    value = _amount(amount)
    if value is None or not 0 <= value <= 1e9:
        return None
    code = None
    if isinstance(currency, str) and currency.strip():
        c = currency.strip()
        code = _SYMBOLS.get(c, c.upper())
    elif isinstance(amount, str):
        for symbol, iso in _SYMBOLS.items():
            if symbol in amount:
                code = iso
                break
        if code is None:
            found = re.search(r"\b([A-Z]{3})\b", amount)
            code = found.group(1) if found else None
    if not code or not re.fullmatch(r"[A-Z]{3}", code):
        return None
    return Money(round(value, 2), code)


_CREDIT_UNITS = {
    "ects": "ECTS",
    "european credit transfer": "ECTS",
    "credit hour": "credit hours",
    "semester hour": "credit hours",
    "quarter hour": "quarter credit hours",
    "ceu": "CEU",
    "continuing education unit": "CEU",
    "cat": "CATS",
    "cats": "CATS",
    "pdu": "PDU",
}


def credits(value: Any, unit: Any = None) -> Credits | None:
    """Credits with a recognisable unit (ECTS, credit hours, CEU...). A unit given separately
    is kept as written when unknown; text such as "37 courses" with no credit unit is None.

    >>> credits("7.5 ECTS")
    Credits(value=7.5, unit='ECTS')
    >>> credits("37 courses") is None
    True
    """
    amount = _amount(value)
    if amount is None or amount < 0:
        return None
    explicit = _strings(unit)
    texts = explicit or ([value] if isinstance(value, str) else [])
    for text in texts:
        low = text.lower().rsplit("/", 1)[-1].replace("credittype:", "").replace("_", " ")
        low = low.replace("degreecredithour", "credit hour").replace(
            "semesterhour", "semester hour"
        )
        for key, canonical in _CREDIT_UNITS.items():
            if re.search(rf"\b{re.escape(key)}", low):
                return Credits(amount, canonical)
    if explicit and explicit[0].strip():
        return Credits(amount, normalise_text(explicit[0]))
    if isinstance(value, str) and re.search(r"[A-Za-z]", value):
        return None  # a number with some other unit: not credits
    return Credits(amount, None)


# -- text ----------------------------------------------------------------------------------------
class _TextOnly(HTMLParser):
    _BLOCKS = frozenset(
        {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "tr", "section"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def clean_text(value: Any) -> str | None:
    """Plain text: HTML tags stripped, entities decoded, unicode NFC, whitespace collapsed
    (paragraph breaks kept as single newlines). None for empty or non-text values."""
    text = text_value(value)
    if text is None:
        return None
    if len(text) <= _REMEMBERED_TEXT:
        return _clean_short(text)
    return _clean(text)


# Names, frameworks and alignment targets recur on every record of a catalog; cleaning one
# (HTML, entities, NFC per line) is remembered. Long texts (descriptions) rarely recur.
_REMEMBERED_TEXT = 200


def _clean(text: str) -> str | None:
    tagged = "<" in text and ">" in text
    if not tagged:
        text = html.unescape(text)
        # HTML escaped as text ("&lt;p&gt;Build&lt;/p&gt;", as some job boards publish a
        # description): read as HTML once decoded when it reads as a document, beginning
        # with a tag or closing one. Text about HTML ("the &lt;canvas&gt; element") is text.
        tagged = _HTML_START.match(text) is not None or _CLOSING_TAG.search(text) is not None
    if tagged:
        parser = _TextOnly()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    lines = [normalise_text(line) for line in text.splitlines()]
    joined = "\n".join(line for line in lines if line)
    return joined or None


_HTML_START = re.compile(r"\s*<[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_CLOSING_TAG = re.compile(r"</[A-Za-z][A-Za-z0-9-]*\s*>")


_clean_short = lru_cache(maxsize=8192)(_clean)


def text_value(value: Any, languages: tuple[str, ...] = ("en", "en-us", "en-gb")) -> str | None:
    """A string from the shapes documents use: plain text, JSON-LD `{"@value": ...}`,
    language maps (`{"en-US": "..."}`, preferring English), or a list of any of these."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        for item in value:
            found = text_value(item, languages)
            if found:
                return found
        return None
    if isinstance(value, dict):
        if "@value" in value:
            return text_value(value["@value"], languages)
        lowered = {str(k).lower(): v for k, v in value.items()}
        for lang in languages:
            if lang in lowered:
                return text_value(lowered[lang], languages)
        for key, item in lowered.items():
            if not key.startswith("@"):
                return text_value(item, languages)
    return None


def language(value: Any) -> str | None:
    """A BCP 47 tag such as `en` or `en-US` (first of a list); None if it does not look like one."""
    text = text_value(value)
    if not text:
        return None
    tag = text.strip().replace("_", "-")
    parts = tag.split("-")
    if not re.fullmatch(r"[A-Za-z]{2,3}", parts[0]):
        return None
    return "-".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p for p in parts[1:])])
