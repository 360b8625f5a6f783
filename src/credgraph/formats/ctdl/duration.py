"""CTDL durations: `estimatedDuration` DurationProfiles and `timeRequired` -> a Duration.

A profile gives `exactDuration`, or a `minimumDuration`/`maximumDuration` range (either may be
missing), or `timeRequired` as a QuantitativeValue. The first profile whose duration converts
to study hours wins (registry records often publish the same duration twice, `P4W` and
`PT160H`); failing that, the first duration published at all, kept with unknown hours.
"""

from __future__ import annotations

from typing import Any

from credgraph.formats.ctdl.nodes import Context, as_list, label, prop, text, texts
from credgraph.formats.durations import duration_range, published_duration, study_duration
from credgraph.formats.normalise import hours_range_from_text
from credgraph.model.validation import MAX_HOURS
from credgraph.model.values import Duration


def estimated_duration(ctx: Context, node: dict[str, Any]) -> Duration | None:
    """The node's duration, or None; a duration past MAX_HOURS is dropped with a warning."""
    found = [d for d in _candidates(ctx, node) if d is not None]
    best = next((d for d in found if d.max_hours is not None), found[0] if found else None)
    if best is not None and best.max_hours is not None and not 0 < best.max_hours <= MAX_HOURS:
        ctx.warn(f"{ctx.doc.url}: duration of {best.max_hours} hours is out of range; ignored")
        return None
    return best


def _candidates(ctx: Context, node: dict[str, Any]) -> list[Duration | None]:
    out: list[Duration | None] = []
    for value in as_list(prop(node, "estimatedDuration")):
        profile = ctx.nodes.resolve(value)
        if profile is None:
            continue
        exact = [t.strip() for t in texts(prop(profile, "exactDuration"))]
        out += [study_duration(t) or published_duration(t) for t in exact]
        low = next(iter(texts(prop(profile, "minimumDuration"))), None)
        high = next(iter(texts(prop(profile, "maximumDuration"))), None)
        if low is not None or high is not None:
            out.append(duration_range(low, high))
        out.append(_quantity(prop(profile, "timeRequired")))
    out.append(_quantity(prop(node, "timeRequired")))
    return out


def _quantity(value: Any) -> Duration | None:
    """A duration from a number (hours), text, or a QuantitativeValue `{value, unitText}`
    (the unit defaults to hours)."""
    if value is None:
        return None
    if isinstance(value, dict):
        amount = next(
            (
                v
                for v in (prop(value, "value"), value.get("schema:value"), value.get("value"))
                if v is not None
            ),
            None,
        )
        if amount is None:
            return None
        unit = label(prop(value, "unitText") or value.get("schema:unitText")) or "hours"
        value = f"{text(amount)} {unit}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return published_duration(value, *(hours_range_from_text(value) or (None, None)))
    for item in texts(value):
        hours = hours_range_from_text(item)
        if hours is not None:
            return published_duration(item, *hours)
    return None
