"""Published durations to study hours, by one documented convention.

Publishers state how long a credential takes in calendar units (`P4Y` for a degree, `P6M`,
`P12W`, `P5D`, CTDL ranges such as minimum `P2Y` maximum `P4Y`) or in hours (`PT160H`,
"10-12 hours"). Comparing credentials needs one unit, and a day of study is not 24 hours,
so calendar units count as full-time study time:

| unit  | study hours | why |
|-------|-------------|-----|
| year  | 1,500-1,800 | a full-time academic year is 60 ECTS credits of 25-30 hours each (ECTS Users' Guide 2015) |
| month | 125-150     | a twelfth of a year |
| week  | 40          | five days of full-time study |
| day   | 8           | one full-time day |

Hours, minutes and seconds are clock time and count as they are. A year or month therefore
gives a range (its `min_hours`/`max_hours`); a credential's single `duration_hours` is the
upper bound, as for a published range such as "10-12 hours".

Free text in weeks or months ("6 weeks", "Weeks") is not converted: MOOC and badge catalogs
use it for part-time calendar spans whose load they state separately, if at all. It is kept
as published, with unknown hours.

>>> study_duration("P4Y")
Duration(text='P4Y', iso='P4Y', min_hours=6000.0, max_hours=7200.0)
>>> study_duration("P5D").max_hours
40.0
>>> study_duration("12 weeks") is None
True
"""

from __future__ import annotations

import re
from typing import Any

from credgraph.model.values import Duration

YEAR_HOURS = (1500.0, 1800.0)  # 60 ECTS x 25-30 h
MONTH_HOURS = (YEAR_HOURS[0] / 12, YEAR_HOURS[1] / 12)
WEEK_HOURS = 40.0
DAY_HOURS = 8.0

_NUMBER = r"\d+(?:[.,]\d+)?"
_ISO_DURATION = re.compile(
    rf"^P(?:(?P<y>{_NUMBER})Y)?(?:(?P<mo>{_NUMBER})M)?(?:(?P<w>{_NUMBER})W)?(?:(?P<d>{_NUMBER})D)?"
    rf"(?:T(?:(?P<h>{_NUMBER})H)?(?:(?P<mi>{_NUMBER})M)?(?:(?P<s>{_NUMBER})S)?)?$",
    re.IGNORECASE,
)
_MAX_TEXT = 2000


def iso_hours(value: Any) -> tuple[float, float] | None:
    """(fewest, most) study hours of an ISO 8601 duration; None when it is not one or is zero.

    >>> iso_hours("P6M")
    (750.0, 900.0)
    >>> iso_hours("P1DT2H")
    (10.0, 10.0)
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _ISO_DURATION.match(text)
    if not match or text.upper() in ("P", "PT") or text.upper().endswith("T"):
        return None
    parts = {k: float(v.replace(",", ".")) for k, v in match.groupdict().items() if v}
    fixed = (
        parts.get("w", 0) * WEEK_HOURS
        + parts.get("d", 0) * DAY_HOURS
        + parts.get("h", 0)
        + parts.get("mi", 0) / 60
        + parts.get("s", 0) / 3600
    )
    years, months = parts.get("y", 0), parts.get("mo", 0)
    low = fixed + years * YEAR_HOURS[0] + months * MONTH_HOURS[0]
    high = fixed + years * YEAR_HOURS[1] + months * MONTH_HOURS[1]
    if high <= 0:
        return None
    return round(low, 4), round(high, 4)


def is_iso_duration(value: Any) -> bool:
    return iso_hours(value) is not None


def study_duration(value: Any) -> Duration | None:
    """A Duration from an ISO 8601 duration; None for anything else."""
    hours = iso_hours(value)
    if hours is None:
        return None
    text = str(value).strip()
    return Duration(text=text, iso=text, min_hours=hours[0], max_hours=hours[1])


def duration_range(minimum: Any, maximum: Any) -> Duration | None:
    """A Duration from a published minimum and maximum (ISO 8601, either may be missing): the
    hours run from the fewest of the minimum to the most of the maximum."""
    low, high = iso_hours(minimum), iso_hours(maximum)
    if low is None and high is None:
        return None
    if low is None or high is None:
        one = study_duration(minimum if low is not None else maximum)
        return one
    lo, hi = min(low[0], high[0]), max(low[1], high[1])
    iso = f"{str(minimum).strip()}/{str(maximum).strip()}"
    return Duration(text=iso, iso=iso, min_hours=lo, max_hours=hi)


def published_duration(
    text: Any, min_hours: float | None = None, max_hours: float | None = None
) -> Duration | None:
    """A Duration for a duration published as text or a number of hours ("10-12 hours",
    "Weeks", 25): an ISO 8601 value is converted, anything else kept with the hours given."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = f"{text:g} hours"
    if not isinstance(text, str) or not text.strip():
        return None
    found = study_duration(text)
    if found is not None:
        return found
    clean = " ".join(text.split())[:_MAX_TEXT]
    if min_hours is not None and max_hours is None:
        max_hours = min_hours
    return Duration(text=clean, min_hours=min_hours, max_hours=max_hours)
