"""What `credgraph store check` reports, shared by every adapter.

A consistent store has no dangling reference (an edge whose end is not a stored node of a kind
that edge type joins), except where a record may name a node not crawled yet (PART_OF and
REQUIRES between credentials, BROADER and SAME_AS toward skills or occupations); every
credential naming an issuer has that issuer node and its ISSUED_BY edge; and the count of each
kind read two independent ways agrees. Orphan nodes (no edge at all) are counted per kind for
information: a taxonomy skill nobody teaches is normal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from credgraph.model.values import EdgeType, NodeKind

_C, _I, _S, _O = NodeKind.CREDENTIAL, NodeKind.ISSUER, NodeKind.SKILL, NodeKind.OCCUPATION
_TAXONOMY = frozenset({_S, _O})

# The kinds each edge type may join (start, end), as the write paths create them.
ENDS: dict[EdgeType, tuple[frozenset[NodeKind], frozenset[NodeKind]]] = {
    EdgeType.ISSUED_BY: (frozenset({_C}), frozenset({_I})),
    EdgeType.TEACHES: (frozenset({_C}), frozenset({_S})),
    EdgeType.ASSESSES: (frozenset({_C}), frozenset({_S})),
    EdgeType.PREPARES_FOR: (frozenset({_C}), frozenset({_O})),
    EdgeType.PART_OF: (frozenset({_C}), frozenset({_C})),
    EdgeType.REQUIRES: (frozenset({_C}), frozenset({_C})),
    EdgeType.PREPARES_FOR_CREDENTIAL: (frozenset({_C}), frozenset({_C})),
    EdgeType.ADVANCED_STANDING: (frozenset({_C}), frozenset({_C})),
    EdgeType.PUBLISHED_PATHWAY: (frozenset({_C}), frozenset({_C})),
    EdgeType.REQUIRES_SKILL: (frozenset({_O}), frozenset({_S})),
    EdgeType.SAME_AS: (_TAXONOMY, _TAXONOMY),
    EdgeType.BROADER: (_TAXONOMY, _TAXONOMY),
    EdgeType.ACCREDITED_BY: (frozenset({_I, _C}), frozenset({_I})),
    EdgeType.FROM_SOURCE: (frozenset({_C, _I, _S, _O}), frozenset({NodeKind.SOURCE})),
}
# Edge types whose ends may name a node that is not stored (yet): a placeholder, not damage.
MAY_DANGLE = frozenset(
    {
        EdgeType.PART_OF,
        EdgeType.REQUIRES,
        EdgeType.BROADER,
        EdgeType.SAME_AS,
        EdgeType.PREPARES_FOR_CREDENTIAL,
        EdgeType.ADVANCED_STANDING,
        EdgeType.PUBLISHED_PATHWAY,
    }
)
KINDS = (_I, _C, _S, _O)


@dataclass(frozen=True, slots=True)
class Finding:
    """One kind of inconsistency and how many times it occurs."""

    check: str
    detail: str
    count: int


@dataclass(slots=True)
class CheckReport:
    store: str
    counts: dict[str, int] = field(default_factory=dict)
    orphans: dict[str, int] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, check: str, detail: str, count: int) -> None:
        if count:
            self.problems.append(Finding(check, detail, count))

    def as_json(self) -> dict[str, Any]:
        return {
            "store": self.store,
            "ok": self.ok,
            "counts": self.counts,
            "orphans": self.orphans,
            "problems": [
                {"check": p.check, "detail": p.detail, "count": p.count} for p in self.problems
            ],
            "checks": self.checks,
        }
