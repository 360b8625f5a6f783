"""SQLite reads of stacking links between stored credentials (edges both ways)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from credgraph.model.stacking import AdvancedStanding, CredentialLinks, standing_from_props
from credgraph.store.sqlite.sql import select_in

_TYPES = "('PREPARES_FOR_CREDENTIAL', 'ADVANCED_STANDING')"


def credential_links(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, CredentialLinks]:
    wanted = [i for i in dict.fromkeys(ids) if isinstance(i, str)]
    prepares: dict[str, list[str]] = {i: [] for i in wanted}
    prepared: dict[str, list[str]] = {i: [] for i in wanted}
    for_: dict[str, list[AdvancedStanding]] = {i: [] for i in wanted}
    from_: dict[str, list[AdvancedStanding]] = {i: [] for i in wanted}
    outgoing = select_in(
        conn,
        "SELECT e.src, e.type, e.dst, e.props FROM edges e JOIN credentials c ON c.id = e.dst "
        f"WHERE e.src IN ({{ids}}) AND e.type IN {_TYPES}",
        wanted,
    )
    for src, edge_type, dst, props in outgoing:
        if edge_type == "PREPARES_FOR_CREDENTIAL":
            prepares[src].append(dst)
        else:
            for_[src].append(standing_from_props(dst, json.loads(props) if props else None))
    incoming = select_in(
        conn,
        "SELECT e.src, e.type, e.dst, e.props FROM edges e JOIN credentials c ON c.id = e.src "
        f"WHERE e.dst IN ({{ids}}) AND e.type IN {_TYPES}",
        wanted,
    )
    for src, edge_type, dst, props in incoming:
        if edge_type == "PREPARES_FOR_CREDENTIAL":
            prepared[dst].append(src)
        else:
            from_[dst].append(standing_from_props(src, json.loads(props) if props else None))
    return {
        i: CredentialLinks(
            tuple(sorted(prepares[i])),
            tuple(sorted(prepared[i])),
            tuple(sorted(for_[i], key=lambda s: s.credential)),
            tuple(sorted(from_[i], key=lambda s: s.credential)),
        )
        for i in wanted
    }
