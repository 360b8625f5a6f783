"""The `Equated` label: a hint on every skill and occupation a SAME_AS relationship touches, so
that reads looking for equivalents from many nodes (a comparison's skills, the skills a
credential covers for job demand) expand SAME_AS only from nodes that may have one.

Why a label: a skill has fewer relationships than Neo4j's dense-node threshold, so they are one
chain, not grouped by type, and finding that a skill has no SAME_AS reads every TEACHES,
ASSESSES and REQUIRES_SKILL relationship it has (hundreds on a large graph). Labels live in the
node record, which the expand reads anyway, so the test in front of it is nearly free.

Every statement that creates a SAME_AS relationship labels both its ends in the same statement
(`mark`). The label is never removed: a stale one (its relationship deleted since) costs one
wasted expand, while a missing one would silently drop an equivalence from comparisons, which
`store check` reports (`UNMARKED`) and the `equated-label` migration repairs in a database
written before the label existed (`BACKFILL`).
"""

from __future__ import annotations

EQUATED = "Equated"


def mark(*variables: str) -> str:
    """`SET a:Equated, b:Equated`: the clause that labels the ends of a new SAME_AS."""
    assert variables and all(v.isidentifier() for v in variables)
    return "SET " + ", ".join(f"{v}:{EQUATED}" for v in variables)


# The nodes at a SAME_AS relationship without the label (found through the relationship type
# index, so the cost follows the number of SAME_AS relationships, not of nodes).
UNMARKED = f"MATCH (n)-[:SAME_AS]-() WHERE NOT n:{EQUATED} RETURN count(DISTINCT n)"

# Labels the ends of every SAME_AS relationship, in batches (an auto-commit statement).
BACKFILL = (
    f"MATCH (a)-[:SAME_AS]->(b) WHERE NOT (a:{EQUATED} AND b:{EQUATED}) "
    f"CALL (a, b) {{ {mark('a', 'b')} }} IN TRANSACTIONS OF 10000 ROWS"
)
