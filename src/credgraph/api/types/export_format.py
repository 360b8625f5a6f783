"""ExportFormat: the file formats of a subgraph export."""

from __future__ import annotations

import enum

import strawberry


@strawberry.enum(description="File formats of a subgraph export.")
class ExportFormat(enum.Enum):
    GRAPHML = strawberry.enum_value("graphml", description="GraphML (networkx, Gephi).")
    CSV = strawberry.enum_value("csv", description="nodes.csv and edges.csv (pandas, R).")
    JSONLD = strawberry.enum_value(
        "jsonld", description="JSON-LD with CTDL, schema.org and SKOS terms (rdflib, pyld)."
    )
    NDJSON = strawberry.enum_value("ndjson", description="One node or edge per line.")
    NODELINK = strawberry.enum_value("nodelink", description="networkx node-link JSON.")
