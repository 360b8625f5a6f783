"""CTDL outcome reports and quality-assurance relations -> `Outcome` and `QualityAssurance`.

Choices:

* `aggregateData` (AggregateDataProfile): `medianEarnings` with `currency` -> MEDIAN_EARNINGS;
  `jobsObtained` QuantitativeValues with a percentage -> EMPLOYMENT_RATE (unit "%"), with only
  a count -> OTHER (unit "jobs obtained"); `numberAwarded` -> AWARDED. Each carries the
  profile's `postReceiptMonths`, `description`, `source` and `dateEffective`.
* The older `earnings` (EarningsProfile), `employmentOutcome` (EmploymentOutcomeProfile) and
  `holders` (HoldersProfile) are read the same way (`jobsObtained` there is a count).
  Profiles that only point at an external data set (`qdata:relevantDataSet`) carry no value.
* A value that is text, negative, a percentage over 100, or earnings with no currency gives
  a warning naming the document and property, and that outcome alone is left out.
* `accreditedBy`, `recognizedBy`, `regulatedBy`, `approvedBy` -> one `QualityAssurance` per
  organisation and relation, with the organisation's CTDL type (QACredentialOrganization...).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from credgraph.formats.ctdl.nodes import (
    Context,
    as_list,
    label,
    prop,
    text,
    types,
    uri_text,
)
from credgraph.formats.ctdl.orgs import resolve_org
from credgraph.formats.normalise import finite_number
from credgraph.model.stacking import Outcome, OutcomeKind, QARelation, QualityAssurance

_PROFILES = ("aggregateData", "earnings", "employmentOutcome", "holders")
_QA = (
    ("accreditedBy", QARelation.ACCREDITED),
    ("recognizedBy", QARelation.RECOGNIZED),
    ("regulatedBy", QARelation.REGULATED),
    ("approvedBy", QARelation.APPROVED),
)
_CURRENCY_NAMES = {
    "us dollar": "USD",
    "us dollars": "USD",
    "u.s. dollar": "USD",
    "u.s. dollars": "USD",
    "united states dollar": "USD",
    "american dollar": "USD",
    "canadian dollar": "CAD",
    "australian dollar": "AUD",
    "new zealand dollar": "NZD",
    "euro": "EUR",
    "euros": "EUR",
    "pound sterling": "GBP",
    "british pound": "GBP",
    "swiss franc": "CHF",
    "japanese yen": "JPY",
    "indian rupee": "INR",
    "mexican peso": "MXN",
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def _raw(node: dict[str, Any], name: str) -> Any:
    for key in (
        f"ceterms:{name}",
        f"schema:{name}",
        f"qdata:{name}",
        f"http://purl.org/ctdl/terms/{name}",
        f"http://schema.org/{name}",
    ):
        if key in node:
            return node[key]
    return None


def _number(
    ctx: Context, where: str, value: Any, left_out: str = "that outcome is left out"
) -> float | None:
    """A finite number, or None with a warning when the publisher wrote something else
    (`left_out` says what goes missing; `finite_number`)."""
    if isinstance(value, dict) and "@value" in value:
        value = value["@value"]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = finite_number(value)
        if number is not None:
            return number
        ctx.warn(f"{ctx.doc.url}: {where} {value!r:.80} is not a finite number; {left_out}")
        return None
    ctx.warn(f"{ctx.doc.url}: {where} {value!r:.80} is not a number; {left_out}")
    return None


def _as_of(value: Any) -> date | None:
    found = _DATE.match(text(value) or "")
    if not found:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2) or 1), int(found.group(3) or 1))
    except ValueError:
        return None


def currency_code(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[A-Za-z]{3}", value):
        return value.upper()
    return _CURRENCY_NAMES.get(value.casefold())


def outcomes(ctx: Context, node: dict[str, Any]) -> tuple[Outcome, ...]:
    found: list[Outcome] = []
    for name in _PROFILES:
        for value in as_list(prop(node, name)):
            profile = ctx.nodes.resolve(value)
            if profile is not None:
                found += _profile_outcomes(ctx, name, profile)
    return tuple(dict.fromkeys(found))


def _profile_outcomes(ctx: Context, name: str, profile: dict[str, Any]) -> list[Outcome]:
    months_raw = _raw(profile, "postReceiptMonths")
    months = None
    if months_raw is not None:
        number = _number(
            ctx, f"{name}.postReceiptMonths", months_raw, "the outcomes' months are left out"
        )
        months = int(number) if number is not None else None
    common: dict[str, Any] = {
        "post_receipt_months": months,
        "description": text(prop(profile, "description")),
        "source": uri_text(prop(profile, "source")) or label(prop(profile, "source")),
        "as_of": _as_of(prop(profile, "dateEffective")),
    }
    drafts: list[tuple[str, Outcome | None]] = []
    earnings = _raw(profile, "medianEarnings")
    if earnings is not None:
        value = _number(ctx, f"{name}.medianEarnings", earnings)
        currency = label(_raw(profile, "currency"))
        code = currency_code(currency)
        if value is not None and not code:
            ctx.warn(
                f"{ctx.doc.url}: {name}.medianEarnings {value:g} has no currency"
                f"{f' ({currency!r} is not one)' if currency else ''}; left out"
            )
        elif value is not None:
            drafts.append(
                (
                    "medianEarnings",
                    Outcome(OutcomeKind.MEDIAN_EARNINGS, value, currency=code, **common),
                )
            )
    for quantity in as_list(_raw(profile, "jobsObtained")):
        drafts.append(("jobsObtained", _jobs(ctx, name, quantity, common)))
    awarded = _raw(profile, "numberAwarded")
    if awarded is not None:
        value = _number(ctx, f"{name}.numberAwarded", awarded)
        if value is not None:
            drafts.append(
                ("numberAwarded", Outcome(OutcomeKind.AWARDED, value, unit="holders", **common))
            )
    kept = []
    for prop_name, outcome in drafts:
        if outcome is None:
            continue
        problems = outcome.problems()
        if problems:
            ctx.warn(f"{ctx.doc.url}: {name}.{prop_name}: {problems[0]}; that outcome is left out")
        else:
            kept.append(outcome)
    return kept


def _jobs(ctx: Context, name: str, quantity: Any, common: dict[str, Any]) -> Outcome | None:
    node = ctx.nodes.resolve(quantity) if not isinstance(quantity, (int, float, str)) else None
    if node is None:  # a bare number: a count of jobs
        value = _number(ctx, f"{name}.jobsObtained", quantity)
        return (
            None
            if value is None
            else Outcome(OutcomeKind.OTHER, value, unit="jobs obtained", **common)
        )
    percentage = _raw(node, "percentage")
    if percentage is not None:
        value = _number(ctx, f"{name}.jobsObtained.percentage", percentage)
        return (
            None
            if value is None
            else Outcome(
                OutcomeKind.EMPLOYMENT_RATE,
                value,
                unit="%",
                **{
                    **common,
                    "description": text(_raw(node, "description")) or common["description"],
                },
            )
        )
    count = _raw(node, "value")
    if count is None:
        return None
    value = _number(ctx, f"{name}.jobsObtained.value", count)
    return (
        None if value is None else Outcome(OutcomeKind.OTHER, value, unit="jobs obtained", **common)
    )


def quality_assurance(ctx: Context, node: dict[str, Any]) -> tuple[QualityAssurance, ...]:
    found: dict[tuple[QARelation, str], QualityAssurance] = {}
    for qa_prop, relation in _QA:
        for ref in as_list(prop(node, qa_prop)):
            got = resolve_org(ctx, ref)
            if got is None:
                continue
            issuer, _placeholder = got
            org_node = ctx.nodes.resolve(ref)
            kind = next(iter(types(org_node)), None) if org_node is not None else None
            found.setdefault(
                (relation, issuer.id), QualityAssurance(relation, issuer.id, issuer.name, kind)
            )
    return tuple(found.values())
