"""Issue and expiry dates: read leniently (ISO 8601, `Z`, date only), checked strictly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from credgraph.verify.result import Checks, Status


def parse_date(value: Any) -> datetime | None:
    """An ISO 8601 date-time (naive ones are taken as UTC), or None if unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def check_dates(
    checks: Checks,
    now: datetime,
    *,
    issued: tuple[str, Any],
    expires: tuple[str, Any],
) -> tuple[datetime | None, datetime | None]:
    """Record the `issued` (not in the future) and `expires` (not past) checks, each given
    as (property name, raw value); return the parsed dates."""
    issued_name, issued_raw = issued
    expires_name, expires_raw = expires
    issued_on = parse_date(issued_raw)
    if issued_raw is None:
        checks.not_checked("issued", f"no {issued_name}", blocking=False)
    elif issued_on is None:
        checks.failed("issued", f"{issued_name} {issued_raw!r} is not an ISO 8601 date")
    elif issued_on > now:
        checks.failed("issued", f"{issued_name} {issued_on.isoformat()} is in the future")
    else:
        checks.passed("issued", f"{issued_name} {issued_on.isoformat()}")
    expiry = parse_date(expires_raw)
    if expires_raw is None:
        checks.passed("expiry", f"no {expires_name}: does not expire")
    elif expiry is None:
        checks.failed("expiry", f"{expires_name} {expires_raw!r} is not an ISO 8601 date")
    elif expiry <= now:
        checks.failed("expiry", f"expired on {expiry.isoformat()}", Status.EXPIRED)
    else:
        checks.passed("expiry", f"valid until {expiry.isoformat()}")
    return issued_on, expiry
