"""Neo4j reads of credential names for the name index (`credgraph.store.names`).

A credential node carries its alternate names as a list property (written with its row,
see `store.mapping.credential_row`), so the whole-catalogue read decodes no documents. The
driver decodes the records a batch at a time between reads of the socket; turning a million
of them into `CredentialName`s is a second or more of Python, done in a worker thread so the
event loop only waits (and frees the records there, a slice at a time).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from credgraph.collector import emptied
from credgraph.store.names import CredentialName

Read = Callable[..., Awaitable[list[Any]]]

_NAMES = (
    "MATCH (c:Credential) "
    "OPTIONAL MATCH (c)-[:ISSUED_BY]->(i:Issuer) "
    "RETURN c.id AS id, c.name AS name, c.alternate_names AS alternates, i.name AS issuer, "
    "i.alternate_names AS issuer_alternates"
)


async def credential_names(read: Read) -> list[CredentialName]:
    # Handed over in a box the worker empties: `to_thread` holds its arguments until it
    # returns, so the records' last reference would otherwise be dropped on the loop.
    box = [await read(_NAMES)]
    return await asyncio.to_thread(_names_from, box)


def _names_from(box: list[list[Any]]) -> list[CredentialName]:
    rows = box.pop()
    names = _names(rows)
    emptied(rows)
    return names


def _names(rows: Sequence[Any]) -> list[CredentialName]:
    return [
        CredentialName(
            row["id"],
            row["name"],
            _texts(row["alternates"]),
            row["issuer"],
            _texts(row["issuer_alternates"]),
        )
        for row in rows
    ]


def _texts(values: list[Any] | None) -> tuple[str, ...]:
    return tuple(v for v in values or () if isinstance(v, str))
