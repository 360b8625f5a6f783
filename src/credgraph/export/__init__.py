"""Researcher exports: a selected subgraph as GraphML, CSV, JSON-LD, NDJSON or node-link JSON,
streamed from the store, with a provenance manifest."""

from credgraph.export.bundle import FORMATS, Export, format_named
from credgraph.export.selection import Selection, parse_since, parse_types

__all__ = ["FORMATS", "Export", "Selection", "format_named", "parse_since", "parse_types"]
