"""CSV: `nodes.csv` (id, kind, then every node column) and `edges.csv` (source, target, type,
then every edge column); one row per node or edge, the same columns in every export, UTF-8,
empty cells for missing values. `pandas.read_csv` reads both as they are."""

from __future__ import annotations

import csv
import io

from credgraph.export.columns import EDGE_COLUMNS, NODE_COLUMNS, kind_name, typed
from credgraph.export.formats.base import Format, clean
from credgraph.model.views import GraphEdge, GraphNode

NODE_HEADER = ["id", "kind", *NODE_COLUMNS]
EDGE_HEADER = ["source", "target", "type", *EDGE_COLUMNS]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
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
    files = ("nodes.csv", "edges.csv")
    nodes_first = True

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
            [clean(edge.source), clean(edge.target), edge.type.value]
            + [_cell(typed(p.get(c), t)) for c, t in EDGE_COLUMNS.items()]
        )
