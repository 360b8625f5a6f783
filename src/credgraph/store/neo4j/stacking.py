"""Neo4j reads of stacking links between stored credentials (relationships both ways)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from credgraph.model.stacking import CredentialLinks, standing_from_props

Read = Callable[..., Awaitable[list[Any]]]

_LINKS = """
UNWIND $ids AS id MATCH (c:Credential {id: id})
RETURN id,
  [(c)-[:PREPARES_FOR_CREDENTIAL]->(t:Credential) | t.id] AS prepares_for,
  [(c)<-[:PREPARES_FOR_CREDENTIAL]-(t:Credential) | t.id] AS prepared_by,
  [(c)-[r:ADVANCED_STANDING]->(t:Credential) | [t.id, properties(r)]] AS standing_for,
  [(c)<-[r:ADVANCED_STANDING]-(t:Credential) | [t.id, properties(r)]] AS standing_from
"""


async def credential_links(read: Read, ids: Sequence[str]) -> dict[str, CredentialLinks]:
    wanted = [i for i in dict.fromkeys(ids) if isinstance(i, str)]
    out = {i: CredentialLinks() for i in wanted}
    if not wanted:
        return out
    for row in await read(_LINKS, ids=wanted):
        out[row["id"]] = CredentialLinks(
            tuple(sorted(set(row["prepares_for"]))),
            tuple(sorted(set(row["prepared_by"]))),
            tuple(
                sorted(
                    (standing_from_props(t, p) for t, p in row["standing_for"]),
                    key=lambda s: s.credential,
                )
            ),
            tuple(
                sorted(
                    (standing_from_props(t, p) for t, p in row["standing_from"]),
                    key=lambda s: s.credential,
                )
            ),
        )
    return out
