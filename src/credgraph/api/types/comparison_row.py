"""ComparisonRow: one compared field, its values aligned with the compared credentials."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import strawberry

from credgraph.model.views import CredentialView


def _number(value: float) -> str:
    """40.0 -> '40', 49.5 -> '49.5', 1500 -> '1500'."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _names(names: Sequence[str]) -> str | None:
    unique = list(dict.fromkeys(names))
    return "; ".join(unique) if unique else None


def _credits(v: CredentialView) -> str | None:
    credits = v.credential.credits
    if credits is None:
        return None
    return f"{_number(credits.value)} {credits.unit}" if credits.unit else _number(credits.value)


def _quality_assurance(v: CredentialView) -> str | None:
    """Accreditors of the credential, then of its issuer (both count for transparency)."""
    issuer_bodies = v.issuer.accredited_by if v.issuer else ()
    return _names([a.name for a in (*v.accredited_by, *issuer_bodies)])


def _optional(value: float | None) -> str | None:
    return None if value is None else _number(value)


# (field, label, value) in display order. Values are text; null when not disclosed.
FIELDS: tuple[tuple[str, str, Callable[[CredentialView], str | None]], ...] = (
    ("issuer", "Issuer", lambda v: v.issuer.name if v.issuer else None),
    ("type", "Type", lambda v: v.credential.type.value),
    ("level", "Level", lambda v: v.credential.level),
    ("hours", "Hours", lambda v: _optional(v.credential.duration_hours)),
    ("credits", "Credits", _credits),
    (
        "cost",
        "Cost",
        lambda v: f"{_number(c.amount)} {c.currency}" if (c := v.credential.cost) else None,
    ),
    ("assessment", "Assessment", lambda v: v.credential.assessment),
    ("deliveryMode", "Delivery mode", lambda v: v.credential.delivery_mode),
    ("qualityAssurance", "Quality assurance", _quality_assurance),
    ("validity", "Validity", lambda v: v.credential.validity),
    ("occupations", "Occupations", lambda v: _names([o.occupation.name for o in v.occupations])),
    ("skills", "Skills", lambda v: str(len(v.skills))),
    ("transparency", "Transparency", lambda v: _number(v.transparency.score)),
)


@strawberry.type(
    description=(
        "One compared field. `values` line up with `CredentialComparison.credentials`: the "
        "i-th value belongs to the i-th credential, null where it does not disclose the field."
    )
)
class ComparisonRow:
    field: str = strawberry.field(
        description=(
            "The field: issuer, type, level, hours, credits, cost, assessment, deliveryMode, "
            "qualityAssurance, validity, occupations, skills (a count) or transparency (a score)."
        )
    )
    label: str = strawberry.field(description="The field's name for people.")
    values: list[str | None] | None = strawberry.field(
        description="The value of each compared credential, as text; lists joined with '; '."
    )

    @classmethod
    def from_model(cls, views: Sequence[CredentialView]) -> list[ComparisonRow]:
        """Every row of the comparison of `views`, in display order."""
        return [
            cls(field=name, label=label, values=[value(v) for v in views])
            for name, label, value in FIELDS
        ]
