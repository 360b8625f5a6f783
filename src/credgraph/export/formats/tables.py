"""CSV: `nodes.csv` (id, kind, then every node column), `edges.csv` (source, target, type,
then every edge column) and `changes.csv` (one row per changed field of each exported
credential's version history: credential_id, changed_at, field, old, new, values as JSON);
the same columns in every export, UTF-8, empty cells for missing values, a list's items
joined with "|" (`columns.joined`). `pandas.read_csv` reads each as it is."""

from __future__ import annotations

import csv
import io
import json

from credgraph.export.columns import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    edge_label,
    joined,
    kind_name,
    typed,
)
from credgraph.export.formats.base import Format, clean
from credgraph.model.views import CredentialChange, GraphEdge, GraphNode

NODE_HEADER = ["id", "kind", *NODE_COLUMNS]
EDGE_HEADER = ["source", "target", "type", *EDGE_COLUMNS]
CHANGE_HEADER = ["credential_id", "changed_at", "field", "old", "new"]


def _json(value: object) -> str:
    return "" if value is None else clean(json.dumps(value, ensure_ascii=False, default=str))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple):
        return clean(joined(value))
    return clean(str(value))


class _Rows:
    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")

    def row(self, cells: list[str]) -> bytes:
        self.writer.writerow(cells)
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text.encode()


class CsvTables(Format):
    name = "csv"
    media_type = "application/zip"
    files = ("nodes.csv", "edges.csv", "changes.csv")
    nodes_first = True
    changes_file = "changes.csv"

    def __init__(self) -> None:
        self.rows = _Rows()

    def start(self) -> bytes:
        return self.rows.row(NODE_HEADER)

    def node(self, node: GraphNode) -> bytes:
        p = node.properties
        return self.rows.row(
            [clean(node.id), kind_name(node.kind)]
            + [_cell(typed(p.get(c), t)) for c, t in NODE_COLUMNS.items()]
        )

    def edges_start(self) -> bytes:
        return self.rows.row(EDGE_HEADER)

    def edge(self, edge: GraphEdge) -> bytes:
        p = edge.properties
        return self.rows.row(
            [clean(edge.source), clean(edge.target), edge_label(edge.type)]
            + [_cell(typed(p.get(c), t)) for c, t in EDGE_COLUMNS.items()]
        )

    def changes_start(self) -> bytes:
        return self.rows.row(CHANGE_HEADER)

    def change(self, change: CredentialChange) -> bytes:
        """One row per changed field; old and new values as JSON (they may be lists)."""
        return b"".join(
            self.rows.row(
                [
                    clean(change.credential_id),
                    change.changed_at.isoformat(),
                    f.field,
                    _json(f.old),
                    _json(f.new),
                ]
            )
            for f in change.changes
        )
