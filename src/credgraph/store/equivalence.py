"""What both adapters do with equivalences: which ends of a crosswalk's pairs to look up,
which pairs can be stored and how the others are named; and the computed close matches
(owner, method, score) as SAME_AS edges owned by `computed <method>`, read beside the stated
ones.

Stated equivalences (a crosswalk's, a node's own `same_as`) always win over computed ones: a
computation never writes a pair an edge already joins, and a crosswalk that states a pair a
computation found takes the edge over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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
                RejectedRecord(
                    "equivalence",
                    f"{pair.a or pair.a_code} = {pair.b or pair.b_code}",
                    tuple(p + where for p in problems),
                )
            )
        else:
            wanted[(pair.kind, pair.a, pair.b)] = None
    return wanted, rejected


# -- computed close matches -------------------------------------------------------------------

COMPUTED = "computed "  # owner prefix of the SAME_AS edges a computation states
CLOSE_MATCH = "closeMatch"
STATED_SCORE = 1.0


def computed_owner(method: str) -> str:
    """The owner of the edges one method computes ("computed lexical"): each method replaces
    only its own edges."""
    return COMPUTED + method


def is_computed(owner: str | None) -> bool:
    return bool(owner) and str(owner).startswith(COMPUTED)


@dataclass(frozen=True, slots=True)
class CloseMatchEdge:
    """A computed close match between two skills of different schemes, with its score 0-1."""

    a: str
    b: str
    score: float
    method: str


@dataclass(frozen=True, slots=True)
class RelatedConcept:
    """A skill or occupation equivalent to another: `stated` by a crosswalk or by the node
    itself (method "crosswalk" or "stated", score 1), or computed (method and score)."""

    id: str
    score: float
    method: str
    stated: bool


def related_from_edge(other: str, owner: str | None, props: dict[str, Any]) -> RelatedConcept:
    """How a SAME_AS edge reads from one end: its method and score."""
    if is_computed(owner):
        score = props.get("score")
        return RelatedConcept(
            other,
            float(score) if isinstance(score, (int, float)) else 0.0,
            str(props.get("method") or str(owner)[len(COMPUTED) :]),
            False,
        )
    method = "crosswalk" if str(owner or "").startswith("crosswalk ") else "stated"
    return RelatedConcept(other, STATED_SCORE, method, True)


def best_related(found: dict[str, dict[str, RelatedConcept]]) -> dict[str, list[RelatedConcept]]:
    """Per id, its related concepts best first (stated, then by score, then id)."""
    return {
        node_id: sorted(others.values(), key=lambda r: (not r.stated, -r.score, r.id))
        for node_id, others in found.items()
    }


def keep_better(into: dict[str, RelatedConcept], found: RelatedConcept) -> None:
    old = into.get(found.id)
    if old is None or (found.stated, found.score) > (old.stated, old.score):
        into[found.id] = found


def storable_close_matches(
    matches: Sequence[CloseMatchEdge], skills: set[str]
) -> tuple[dict[tuple[str, str], CloseMatchEdge], list[RejectedRecord]]:
    """The matches whose two ends are stored skills, keyed by the ordered pair (the better
    of two matches of one pair wins), and a named rejection for every other match."""
    wanted: dict[tuple[str, str], CloseMatchEdge] = {}
    rejected: list[RejectedRecord] = []
    for match in matches:
        problems = [
            f"skill {node_id!r} is not in the store"
            for node_id in (match.a, match.b)
            if node_id not in skills
        ]
        if match.a == match.b:
            problems.append("a concept is trivially the same as itself")
        if not 0.0 <= match.score <= 1.0:
            problems.append(f"score {match.score!r} is not between 0 and 1")
        if problems:
            rejected.append(
                RejectedRecord("close match", f"{match.a} ~ {match.b}", tuple(problems))
            )
            continue
        a, b = sorted((match.a, match.b))
        old = wanted.get((a, b))
        if old is None or match.score > old.score:
            wanted[(a, b)] = CloseMatchEdge(a, b, round(match.score, 4), match.method)
    return wanted, rejected
