"""Loose JobPosting values to typed ones: dates in the shapes job boards write, salaries as
MonetaryAmount or as text, and skill lists as text, comma-separated text or terms.

Every reader returns None (or nothing) for what it cannot read with confidence; the caller
names the field in a warning.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from credgraph.formats.normalise import clean_text, money, text_value
from credgraph.formats.schemaorg.jsonld import Graph
from credgraph.model.jobs import Salary

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d.%m.%Y",
    "%a, %d %b %Y %H:%M:%S %z",
    "%a, %d %b %Y %H:%M:%S %Z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y",
    "%d/%m/%Y",
)
_UNITS = {
    "hour": "HOUR",
    "hr": "HOUR",
    "hourly": "HOUR",
    "day": "DAY",
    "daily": "DAY",
    "week": "WEEK",
    "weekly": "WEEK",
    "month": "MONTH",
    "monthly": "MONTH",
    "year": "YEAR",
    "yearly": "YEAR",
    "annum": "YEAR",
    "annual": "YEAR",
    "annually": "YEAR",
    "yr": "YEAR",
}
_UNIT_IN_TEXT = re.compile(
    r"\b(?:per|an?|/)\s*(hour|hr|day|week|month|year|annum|yr)\b"
    r"|\b(hourly|daily|weekly|monthly|yearly|annual(?:ly)?)\b",
    re.I,
)
_NUMBER = re.compile(r"\d[\d,.\s']*\d(?:\s*[kK]\b)?|\d(?:\s*[kK]\b)?")
_SKILL_SPLIT = re.compile(r"\s*(?:[,;\n•·|]|\s-\s|\u2022)\s*")
MAX_SKILL_LABEL = 120


def when(value: Any) -> datetime | None:
    """A date or date-time in ISO 8601 (with or without zone), RFC 822, `1 March 2024`,
    `March 1, 2024`, `2024/03/01`, or a Unix timestamp; aware, UTC when no zone is given.
    A slash date that reads both ways (`03/04/2024`) is taken month first, as US boards
    write it."""
    found = _as_given(value)
    if found is None:
        return None
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


def day(value: Any) -> date | None:
    """The calendar day a date or date-time names, in its own zone: "2026-08-10T00:00:00+02:00"
    is the 10th, not the UTC day it began in (the 9th)."""
    found = _as_given(value)
    return found.date() if found else None


def _as_given(value: Any) -> datetime | None:
    """The date-time `when` reads, in the zone it was written in (none when none was given;
    a Unix timestamp in UTC)."""
    raw = text_value(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            seconds = float(value) / (1000 if value > 1e11 else 1)
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not raw or not raw.strip():
        return None
    text = " ".join(raw.split())
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        found: datetime | None = datetime.fromisoformat(iso)
    except ValueError:
        found = None
    if found is None:
        for pattern in _DATE_FORMATS:
            try:
                found = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if found is None or not 1900 <= found.year <= 2200:
        return None
    return found


def _unit(value: Any) -> str | None:
    raw = text_value(value)
    if not raw:
        return None
    key = raw.strip().lower()
    return _UNITS.get(key) or _UNITS.get(key.rstrip("s")) or key.upper()[:20]


def _amounts(text: str) -> list[float]:
    found: list[float] = []
    for match in _NUMBER.finditer(text):
        token = match.group(0)
        thousands = token.rstrip().lower().endswith("k")
        m = money(token.rstrip("kK ").strip(), "XXX")
        if m is not None:
            found.append(m.amount * (1000 if thousands else 1))
    return found


def salary(graph: Graph, value: Any) -> Salary | None:
    """baseSalary: a MonetaryAmount (value a number, a QuantitativeValue with value or
    minValue/maxValue and unitText), a bare number, or text ("$50,000 - $70,000 a year",
    "£25k per annum", "45 EUR/hour")."""
    node = graph.deref(value)
    if isinstance(node, list):
        node = node[0] if node else None
    if isinstance(node, bool) or node is None:
        return None
    if isinstance(node, (int, float)):
        return Salary(min_amount=float(node), max_amount=float(node)) if node >= 0 else None
    if isinstance(node, str):
        return salary_text(node)
    if not isinstance(node, dict):
        return None
    currency = text_value(node.get("currency")) or text_value(node.get("salaryCurrency"))
    priced = money(1, currency) if currency else None
    code = priced.currency if priced else None
    inner = graph.deref(node.get("value"))
    if isinstance(inner, dict):
        given = inner.get("value")
        low, high = _number(inner.get("minValue")), _number(inner.get("maxValue"))
        unit = _unit(inner.get("unitText")) or _unit(node.get("unitText"))
    else:
        given = inner
        low, high = _number(node.get("minValue")), _number(node.get("maxValue"))
        unit = _unit(node.get("unitText"))
    exact = _number(given)
    if isinstance(given, str) and low is None and high is None:
        # text as the value ("$151,700 - $212,000 USD OTE"): read whole, a range included
        read = salary_text(given)
        if read is not None and (exact is None or read.min_amount != read.max_amount):
            return Salary(
                read.min_amount, read.max_amount, code or read.currency, unit or read.unit,
                read.text,
            )  # fmt: skip
    low = low if low is not None else exact
    high = high if high is not None else exact
    if low is None and high is None:
        return None
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Salary(low, high, code, unit)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if 0 <= value <= 1e9 else None
    raw = text_value(value)
    if raw is None:
        return None
    found = _amounts(raw)
    return found[0] if found and 0 <= found[0] <= 1e9 else None


def salary_text(raw: str) -> Salary | None:
    text = clean_text(raw)
    if not text:
        return None
    amounts = [a for a in _amounts(text) if 0 <= a <= 1e9][:2]
    if not amounts:
        return None
    found = money(text)
    unit_match = _UNIT_IN_TEXT.search(text)
    unit = _unit(next(g for g in unit_match.groups() if g)) if unit_match else None
    return Salary(
        min(amounts),
        max(amounts),
        found.currency if found else None,
        unit,
        " ".join(text.split())[:200],
    )


def skill_labels(value: Any) -> list[str]:
    """Labels from skills text: one per comma, semicolon, bullet or line; HTML stripped.
    Labels longer than MAX_SKILL_LABEL are sentences, not skills, and are left out."""
    text = clean_text(value if isinstance(value, str) else text_value(value))
    if not text:
        return []
    labels = []
    for part in _SKILL_SPLIT.split(text):
        label = " ".join(part.split()).strip(" .:-*")
        if label and len(label) <= MAX_SKILL_LABEL and label not in labels:
            labels.append(label)
    return labels
