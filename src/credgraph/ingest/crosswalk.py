"""Storing one crosswalk document's equivalences: resolve the sides written as codes, then
replace the document's SAME_AS edges with exactly what it states now."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from credgraph.model.records import Equivalence
from credgraph.model.views import UpsertReport
from credgraph.store.base import GraphStore

# A side without an id is an ESCO occupation code (`2512.4`): only the ESCO release maps it.
CODE_FRAMEWORK = "ESCO"


def owner_of(source_id: str, url: str) -> str:
    """Each document owns its pairs, so an unchanged document of a source keeps its edges
    while a changed one is replaced."""
    return f"crosswalk {source_id} {url}"


async def resolve_codes(store: GraphStore, pairs: Sequence[Equivalence]) -> list[Equivalence]:
    """Pairs with each code-only side given the id of the one stored occupation with that
    code; a code no occupation (or more than one) has stays unresolved and is rejected on
    write, naming it."""
    codes = {c for p in pairs for c in (p.a_code, p.b_code) if c}
    if not codes:
        return list(pairs)
    found = await store.occupation_ids_by_code(CODE_FRAMEWORK, sorted(codes))
    unique = {code: ids[0] for code, ids in found.items() if len(ids) == 1}

    def side(node_id: str, code: str | None) -> tuple[str, str | None]:
        if node_id or not code or code not in unique:
            return node_id, code
        return unique[code], None

    resolved = []
    for pair in pairs:
        a, a_code = side(pair.a, pair.a_code)
        b, b_code = side(pair.b, pair.b_code)
        resolved.append(dataclasses.replace(pair, a=a, b=b, a_code=a_code, b_code=b_code))
    return resolved


async def store_equivalences(
    store: GraphStore, owner: str, pairs: Sequence[Equivalence]
) -> UpsertReport:
    return await store.replace_equivalences(owner, await resolve_codes(store, pairs))
