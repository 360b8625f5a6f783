"""CTDL connections between credentials -> stacking links on a `Credential` record.

Choices:

* `isPreparationFor`, `isRecommendedFor` and `isRequiredFor` (this credential leads to the
  target) -> `prepares_for`; `preparationFrom` (the target leads here) -> `prepared_by`. The
  condition profile's `targetCredential`, `targetLearningOpportunity` and `targetAssessment`
  are its targets; a target that is an occupation or job is not a credential and is left to
  `ctdl.align`.
* `isAdvancedStandingFor` / `advancedStandingFrom` -> `advanced_standing_for` / `_from`, one
  entry per target, with the profile's credit value (`creditValue`, as on credentials) and its
  description (name: description, conditions).
* A link from a credential to itself (a cycle of length one) is dropped with a warning; longer
  cycles within a document are kept as published, with a warning naming them
  (`warn_cycles`): the pathway search never follows a credential twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from credgraph.formats.ctdl.nodes import (
    Context,
    as_list,
    concept_labels,
    ctid_in,
    ctid_of,
    is_bnode,
    prop,
    ref_of,
    text,
    types,
    uri_key,
)
from credgraph.formats.normalise import credits as read_credits
from credgraph.model.records import Credential
from credgraph.model.stacking import AdvancedStanding
from credgraph.model.values import Credits

_FORWARD = ("isPreparationFor", "isRecommendedFor", "isRequiredFor")
_BACKWARD = ("preparationFrom",)
_TARGETS = ("targetCredential", "targetLearningOpportunity", "targetAssessment")


def credential_ref(ctx: Context, value: Any) -> str | None:
    """The graph id a credential reference names: its CTID (in the node, else in the URI),
    else its normalised URI; None for a blank node the graph does not hold. A node the
    document holds is named as its own record is: by its CTID, else by its URI even when the
    URI carries a CTID (a registry node whose `ctid` is mistyped keeps its URI as its id)."""
    node = ctx.nodes.resolve(value)
    ref = ref_of(node) if node is not None else ref_of(value)
    ctid = ctid_of(node) if node is not None else None
    if not ctid and node is None and ref and not is_bnode(ref):
        ctid = ctid_in(ref)
    if ctid:
        return ctid
    if ref and ref.startswith(("http://", "https://")):
        return uri_key(ref)
    if node is None and is_bnode(ref):
        ctx.missing(str(ref))
    return None


def _profiles(ctx: Context, node: dict[str, Any], names: tuple[str, ...]) -> list[dict[str, Any]]:
    found = []
    for name in names:
        for value in as_list(prop(node, name)):
            profile = ctx.nodes.resolve(value)
            # a condition profile (named or embedded), else a reference to the target itself
            if profile is not None and (
                "ConditionProfile" in types(profile) or not ref_of(profile)
            ):
                found.append(profile)
            elif ref_of(value):
                found.append({"ceterms:targetCredential": value})
    return found


def _targets(ctx: Context, profile: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for name in _TARGETS:
        for value in as_list(prop(profile, name)):
            target = credential_ref(ctx, value)
            if target and target not in out:
                out.append(target)
    return out


def _without_self(ctx: Context, cid: str, what: str, ids: list[str]) -> tuple[str, ...]:
    if cid in ids:
        ctx.warn(f"{ctx.doc.url}: credential {cid} names itself in {what}; that link is dropped")
    return tuple(i for i in dict.fromkeys(ids) if i != cid)


def preparation(
    ctx: Context, node: dict[str, Any], cid: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(prepares_for, prepared_by) credential ids."""
    forward = [t for p in _profiles(ctx, node, _FORWARD) for t in _targets(ctx, p)]
    backward = [t for p in _profiles(ctx, node, _BACKWARD) for t in _targets(ctx, p)]
    return (
        _without_self(ctx, cid, "isPreparationFor", forward),
        _without_self(ctx, cid, "preparationFrom", backward),
    )


def advanced_standing(
    ctx: Context, node: dict[str, Any], cid: str, name: str, describe: Any
) -> tuple[AdvancedStanding, ...]:
    """Entries of `isAdvancedStandingFor` or `advancedStandingFrom`; `describe` turns a
    condition profile into its narrative."""
    found: dict[str, AdvancedStanding] = {}
    for profile in _profiles(ctx, node, (name,)):
        granted = profile_credits(ctx, profile)
        description = describe(profile)
        for target in _targets(ctx, profile):
            if target == cid:
                ctx.warn(f"{ctx.doc.url}: credential {cid} names itself in {name}; dropped")
                continue
            found.setdefault(target, AdvancedStanding(target, granted, description))
    return tuple(found.values())


def profile_credits(ctx: Context, profile: dict[str, Any]) -> Credits | None:
    """The first understood `creditValue` (a ValueProfile: `schema:value`, else its maximum
    or minimum, with `creditUnitType`) of a credential or a condition profile; each one not
    understood is warned of and skipped."""
    for value in as_list(prop(profile, "creditValue")):
        value_profile = ctx.nodes.resolve(value)
        if value_profile is None:
            continue
        amount = next(
            (
                v
                for key in ("value", "maxValue", "minValue")
                if (v := _schema(value_profile, key)) is not None
            ),
            None,
        )
        if amount is not None and not isinstance(amount, (int, float)):
            amount = text(amount)  # {"@value": ...} or a language map
        unit = concept_labels(prop(value_profile, "creditUnitType")) or None
        found = read_credits(amount, unit)
        if found is not None and not found.problems():
            return found
        ctx.warn(f"{ctx.doc.url}: credit value {amount!r:.80} not understood; ignored")
    return None


def _schema(node: dict[str, Any], name: str) -> Any:
    for key in (f"schema:{name}", f"ceterms:{name}", f"http://schema.org/{name}", name):
        if key in node:
            return node[key]
    return None


def warn_cycles(ctx: Context, credentials: Sequence[Credential]) -> None:
    """A warning for each cycle the preparation links of one document form (A prepares for B,
    B for A). The links are kept as published: the pathway search never follows a credential
    twice, so a cycle costs nothing there, but a publisher may want to hear of it."""
    forward: dict[str, set[str]] = defaultdict(set)
    for c in credentials:
        forward[c.id].update(c.prepares_for)
        for source in c.prepared_by:
            forward[source].add(c.id)
    reported: set[frozenset[str]] = set()
    for start in sorted(forward):
        cycle = _cycle_from(forward, start)
        if cycle and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            ctx.warn(
                f"{ctx.doc.url}: preparation links form a cycle "
                f"({' -> '.join([*cycle, cycle[0]])}); kept, a pathway follows each "
                "credential once"
            )


def _cycle_from(forward: dict[str, set[str]], start: str) -> list[str] | None:
    """The first cycle through `start`, as the credentials on it, by depth-first search."""
    path = [start]
    stack = [iter(sorted(forward.get(start, ())))]
    on_path = {start}
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        if step == start:
            return list(path)
        if step in on_path or step not in forward or len(path) > 50:
            continue
        path.append(step)
        on_path.add(step)
        stack.append(iter(sorted(forward[step])))
    return None
