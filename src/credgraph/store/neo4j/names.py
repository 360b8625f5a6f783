"""Neo4j reads of credential names for the name index (`credgraph.store.names`).

A credential node carries its alternate names as a list property (written with its row,
see `store.mapping.credential_row`), so the whole-catalogue read decodes no documents. It
reads a page of credentials at a time in id order (a seek on the id constraint's index), and
a worker thread turns each page's records into `CredentialName`s and frees them: at a
million credentials, a million driver records held at once were 1.6 GB of the process and
some five million objects for each full garbage collection to walk (1.4-1.7 s of the event
loop's time while the index was built); turning them into names is seconds of Python, which
the event loop only waits for.

The names are kept as copies made in that thread, not as the strings the driver decoded: those
were made on the event loop among the record's other objects of their size (its issuer's name
and alternates, a copy per row), and once the records are freed, each kept string holds the
block of memory it shares with them (Python's allocator gives a block back only when all of
its objects are freed). At a million credentials, in a serving process that had built the
name index and matchJob's vocabulary, 236 of the 575 MB of Python's small-object memory was
such free room; with copies, 125 of 463 MB.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from credgraph.collector import emptied
from credgraph.store.names import CredentialName

Read = Callable[..., Awaitable[list[Any]]]
Issuers = dict[tuple[Any, tuple[str, ...]], tuple[Any, tuple[str, ...]]]

PAGE = 10_000
_NAMES = (
    "MATCH (c:Credential) WHERE c.id > $after "
    "WITH c ORDER BY c.id LIMIT $page "
    "OPTIONAL MATCH (c)-[:ISSUED_BY]->(i:Issuer) "
    "RETURN c.id AS id, c.name AS name, c.alternate_names AS alternates, i.name AS issuer, "
    "i.alternate_names AS issuer_alternates ORDER BY id"  # the next page starts after the last
)


async def credential_names(read: Read) -> list[CredentialName]:
    page = PAGE
    names: list[CredentialName] = []
    issuers: Issuers = {}  # each issuer's name and alternates once, shared by its credentials
    after = ""
    while True:
        rows = await read(_NAMES, after=after, page=page)
        if not rows:
            return names
        after = rows[-1]["id"]
        full = len(rows) >= page  # an issuer more makes a row more, never fewer
        # Handed over in a box the worker empties: `to_thread` holds its arguments until it
        # returns, so the records' last reference would otherwise be dropped on the loop.
        box = [rows]
        del rows
        names += await asyncio.to_thread(_names_from, box, issuers)
        if not full:
            return names


def _names_from(box: list[list[Any]], issuers: Issuers) -> list[CredentialName]:
    rows = box.pop()
    names = _names(rows, issuers)
    emptied(rows)
    return names


def _names(rows: Sequence[Any], issuers: Issuers) -> list[CredentialName]:
    out = []
    for row in rows:
        issuer = (row["issuer"], _texts(row["issuer_alternates"]))
        # The driver makes new strings for every row: a million copies of a few thousand
        # issuers' names, held until the index is built, and the allocator keeps the room.
        name, alternates = issuers.setdefault(issuer, issuer)
        out.append(
            CredentialName(
                _copied(row["id"]),
                _copied(row["name"]),
                tuple(map(_copied, _texts(row["alternates"]))),
                name,
                alternates,
            )
        )
    return out


def _texts(values: list[Any] | None) -> tuple[str, ...]:
    return tuple(v for v in values or () if isinstance(v, str))


def _copied(value: Any) -> Any:
    """A new string equal to `value` (made here, beside the other names kept: see above)."""
    return value.encode().decode() if isinstance(value, str) else value
