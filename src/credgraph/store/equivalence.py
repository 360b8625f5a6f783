"""What both adapters do before writing a crosswalk's equivalences: which ends to look up,
which pairs can be stored, and how the others are named."""

from __future__ import annotations

from collections.abc import Sequence

from credgraph.model.records import Equivalence
from credgraph.model.values import NodeKind
from credgraph.model.views import RejectedRecord

Key = tuple[NodeKind, str, str]


def ends_by_kind(pairs: Sequence[Equivalence]) -> dict[NodeKind, set[str]]:
    """The ids to look up, by the kind of node they must be."""
    ends: dict[NodeKind, set[str]] = {NodeKind.SKILL: set(), NodeKind.OCCUPATION: set()}
    for pair in pairs:
        ends[pair.kind].update(i for i in (pair.a, pair.b) if i)
    return ends


def storable(
    pairs: Sequence[Equivalence], known: dict[NodeKind, set[str]]
) -> tuple[dict[Key, None], list[RejectedRecord]]:
    """The pairs whose two ends are stored (as ordered, de-duplicated keys), and a named
    rejection for every other pair."""
    wanted: dict[Key, None] = {}
    rejected: list[RejectedRecord] = []
    for pair in pairs:
        problems = []
        for side, node_id, code in (("a", pair.a, pair.a_code), ("b", pair.b, pair.b_code)):
            if not node_id:
                problems.append(f"{side} side {code or '<empty>'!r} is not resolved to a node")
            elif node_id not in known[pair.kind]:
                problems.append(f"{pair.kind.value.lower()} {node_id!r} is not in the store")
        if not problems and pair.a == pair.b:
            problems.append("a concept is trivially the same as itself")
        if problems:
            where = f" ({pair.line})" if pair.line else ""
            rejected.append(
                RejectedRecord("equivalence", f"{pair.a or pair.a_code} = {pair.b or pair.b_code}",
                               tuple(p + where for p in problems))
            )
        else:
            wanted[(pair.kind, pair.a, pair.b)] = None
    return wanted, rejected
