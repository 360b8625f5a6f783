"""GraphML: typed keys declared up front from the fixed column table, a `kind` on nodes, a
`type` on edges, a `label` (the name) for Gephi. Reads back with `networkx.read_graphml`."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from credgraph.export.columns import (
    BOOLEAN,
    EDGE_COLUMNS,
    NODE_COLUMNS,
    NODE_PROPERTIES,
    STRING,
    edge_label,
    graphml_type,
    joined,
    kind_name,
    typed,
)
from credgraph.export.formats.base import Format, clean
from credgraph.model.views import GraphEdge, GraphNode


def _value(value: object, type_: str) -> str:
    if type_ == BOOLEAN:
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple):
        return escape(clean(joined(value)))
    return escape(clean(str(value)))


def _key(key_id: str, target: str, name: str, type_: str) -> str:
    return (
        f'  <key id={quoteattr(key_id)} for="{target}" attr.name={quoteattr(name)} '
        f'attr.type="{graphml_type(type_)}"/>\n'
    )


class GraphML(Format):
    name = "graphml"
    media_type = "application/graphml+xml"
    files = ("graph.graphml",)

    def start(self) -> bytes:
        keys = [_key("kind", "node", "kind", STRING), _key("label", "node", "label", STRING)]
        keys += [_key(f"n_{n}", "node", n, t) for n, t in NODE_COLUMNS.items()]
        keys += [_key("type", "edge", "type", STRING)]
        keys += [_key(f"e_{n}", "edge", n, t) for n, t in EDGE_COLUMNS.items()]
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
            + "".join(keys)
            + '  <graph id="credgraph" edgedefault="directed">\n'
        ).encode()

    def node(self, node: GraphNode) -> bytes:
        parts = [
            f"    <node id={quoteattr(clean(node.id))}>",
            f'<data key="kind">{kind_name(node.kind)}</data>',
        ]
        name = node.properties.get("name")
        if isinstance(name, str):
            parts.append(f'<data key="label">{escape(clean(name))}</data>')
        for column, type_ in NODE_PROPERTIES[node.kind].items():
            value = typed(node.properties.get(column), type_)
            if value is not None:
                parts.append(f'<data key="n_{column}">{_value(value, type_)}</data>')
        parts.append("</node>\n")
        return "".join(parts).encode()

    def edge(self, edge: GraphEdge) -> bytes:
        parts = [
            f"    <edge source={quoteattr(clean(edge.source))} "
            f"target={quoteattr(clean(edge.target))}>",
            f'<data key="type">{edge_label(edge.type)}</data>',
        ]
        for column, type_ in EDGE_COLUMNS.items():
            value = typed(edge.properties.get(column), type_)
            if value is not None:
                parts.append(f'<data key="e_{column}">{_value(value, type_)}</data>')
        parts.append("</edge>\n")
        return "".join(parts).encode()

    def end(self) -> bytes:
        return b"  </graph>\n</graphml>\n"
