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
  cycles within a document are kept as published, with a warning for each group of
  credentials they tie (`warn_cycles`): the pathway search never follows a credential twice.
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
    """A warning for each group of credentials the preparation links of one document tie in
    a cycle (A prepares for B, B for A), naming its shortest cycle through the group's first
    credential. The links are kept as published: the pathway search never follows a
    credential twice, so a cycle costs nothing there, but a publisher may want to hear of it.

    Linear in the links: the groups are the graph's strongly connected components. (Listing
    every cycle is not: a ladder of levels each preparing for both of the next has 2^n.)"""
    forward: dict[str, set[str]] = defaultdict(set)
    for c in credentials:
        forward[c.id].update(c.prepares_for)
        for source in c.prepared_by:
            forward[source].add(c.id)
    for group in _tied_groups(forward):
        cycle = _shortest_cycle(forward, min(group), group)
        more = (
            f"; {len(group)} credentials are tied in cycles with it"
            if len(group) > len(cycle)
            else ""
        )
        ctx.warn(
            f"{ctx.doc.url}: preparation links form a cycle "
            f"({' -> '.join([*cycle, cycle[0]])}){more}; kept, a pathway follows each "
            "credential once"
        )


def _tied_groups(forward: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one credential, in the order of their
    first credential (Tarjan's algorithm, iterative: a chain of thousands is no recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[frozenset[str]] = []
    for root in sorted(forward):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        walk = [(root, iter(sorted(forward[root])))]
        while walk:
            node, steps = walk[-1]
            step = next(steps, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    walk.append((step, iter(sorted(forward.get(step, ())))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            walk.pop()
            if walk:
                parent = walk[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(frozenset(group))
    return sorted(groups, key=min)


def _shortest_cycle(forward: dict[str, set[str]], start: str, group: frozenset[str]) -> list[str]:
    """The credentials on a shortest cycle from `start` back to it, within its `group`
    (breadth-first: each credential met once)."""
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        reached = []
        for node in frontier:
            for step in sorted(forward.get(node, ())):
                if step == start:
                    cycle = [node]
                    while cycle[-1] != start:
                        cycle.append(came_from[cycle[-1]])
                    return cycle[::-1]
                if step in group and step not in came_from:
                    came_from[step] = node
                    reached.append(step)
        frontier = reached
    raise ValueError(f"{start} is on no cycle of its group")  # a component guarantees one
