"""Neo4j reads of credential names for the name index (`credgraph.store.names`).

A credential node carries its alternate names as a list property (written with its row,
see `store.mapping.credential_row`), so the whole-catalogue read decodes no documents.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from credgraph.store.names import CredentialName
from credgraph.store.neo4j.common import VERSION

Read = Callable[..., Awaitable[list[Any]]]

# Counts of a label come from Neo4j's count store; nothing is deleted from these labels, so
# a new credential or a new version record changes a count. Issuers are few.
_VERSION = (
    "CALL { MATCH (c:Credential) RETURN count(c) AS credentials } "
    f"CALL {{ MATCH (v:{VERSION}) RETURN count(v) AS versions }} "
    "CALL { MATCH (i:Issuer) RETURN count(i) AS issuers, max(i.updated_at) AS issued } "
    "RETURN credentials, versions, issuers, issued"
)
_NAMES = (
    "MATCH (c:Credential) "
    "OPTIONAL MATCH (c)-[:ISSUED_BY]->(i:Issuer) "
    "RETURN c.id AS id, c.name AS name, c.alternate_names AS alternates, i.name AS issuer, "
    "i.alternate_names AS issuer_alternates"
)


async def names_version(read: Read) -> str:
    [row] = await read(_VERSION)
    return json.dumps([row["credentials"], row["versions"], row["issuers"], row["issued"]])


async def credential_names(read: Read) -> list[CredentialName]:
    return [
        CredentialName(
            row["id"],
            row["name"],
            _texts(row["alternates"]),
            row["issuer"],
            _texts(row["issuer_alternates"]),
        )
        for row in await read(_NAMES)
    ]


def _texts(values: list[Any] | None) -> tuple[str, ...]:
    return tuple(v for v in values or () if isinstance(v, str))
