"""`store check` on Neo4j: relationships whose ends are placeholders or nodes of the wrong kind,
placeholders left without links, credentials without their issuer, nodes at a SAME_AS
relationship without the `Equated` hint (equated.py), and each label's count from the count
store against the distinct ids actually read.

Labels and relationship types come from our enums only; nothing here takes input."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from credgraph.model.values import EdgeType, NodeKind
from credgraph.store.check import ENDS, KINDS, MAY_DANGLE, CheckReport
from credgraph.store.neo4j.common import REF, label, rel_type
from credgraph.store.neo4j.equated import EQUATED, UNMARKED

Read = Callable[..., Awaitable[list[Any]]]


def _labels(kinds: frozenset[NodeKind], *, placeholder: bool) -> str:
    names = sorted(label(k) for k in kinds) + ([REF] if placeholder else [])
    return "|".join(names)


async def _one(read: Read, query: str) -> int:
    [row] = await read(query)
    return int(row[0])


async def check(read: Read, report: CheckReport) -> None:
    report.checks.append("dangling references")
    for edge_type, (starts, ends) in ENDS.items():
        dangle = edge_type in MAY_DANGLE
        rel = rel_type(edge_type)
        for where, node, kinds in (("start", "a", starts), ("end", "b", ends)):
            n = await _one(
                read,
                f"MATCH (a)-[:{rel}]->(b) WHERE NOT {node}:"
                f"{_labels(kinds, placeholder=dangle)} RETURN count(*)",
            )
            report.problem(
                "dangling references",
                f"{edge_type.value} relationships whose {where} is not a stored "
                f"{' or '.join(sorted(k.value for k in kinds))}",
                n,
            )
    report.problem(
        "dangling references",
        "placeholders without any relationship",
        await _one(read, f"MATCH (r:{REF}) WHERE NOT EXISTS {{ (r)--() }} RETURN count(r)"),
    )
    report.checks.append("credential issuers")
    issued = rel_type(EdgeType.ISSUED_BY)
    report.problem(
        "credential issuers",
        "credentials naming an issuer without its node",
        await _one(
            read,
            "MATCH (c:Credential) WHERE c.issuer_id IS NOT NULL AND NOT "
            f"EXISTS {{ (c)-[:{issued}]->(:Issuer {{id: c.issuer_id}}) }} "
            "RETURN count(c)",
        ),
    )
    report.checks.append("equivalence hints")
    report.problem(
        "equivalence hints",
        f"nodes at a SAME_AS relationship without the {EQUATED} label "
        "(comparisons miss their equivalences)",
        await _one(read, UNMARKED),
    )
    report.checks.append("counts")
    for kind in KINDS:
        name = label(kind)
        stored = await _one(read, f"RETURN COUNT {{ (:{name}) }}")
        distinct = await _one(read, f"MATCH (n:{name}) RETURN count(DISTINCT n.id)")
        report.counts[kind.value] = stored
        report.problem(
            "counts", f"{stored} {name} nodes but {distinct} distinct ids", abs(stored - distinct)
        )
        report.orphans[kind.value] = await _one(
            read, f"MATCH (n:{name}) WHERE NOT EXISTS {{ (n)--() }} RETURN count(n)"
        )
