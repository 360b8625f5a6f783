"""Pure parsers, one module per standard, registered by format name (as used in sources.toml).

Each module exposes `parse(document: Document) -> ParseResult`.
"""

from __future__ import annotations

import importlib

from credgraph.formats.base import Document, ParseError, Parser, ParseResult

FORMATS: tuple[str, ...] = (
    "openbadges",
    "ctdl",
    "schemaorg",
    "credly",
    "case",
    "coursera",
    "jobposting",
)
# Taxonomy releases: large files read as streams (formats.taxonomy), not documents.
TAXONOMY_FORMATS: tuple[str, ...] = ("onet", "esco", "crosswalk")
SOURCE_FORMATS: tuple[str, ...] = FORMATS + TAXONOMY_FORMATS


def parser_for(format_name: str) -> Parser:
    """The parse function of a format; ValueError names the known formats."""
    if format_name not in FORMATS:
        raise ValueError(f"unknown format {format_name!r}; known: {', '.join(FORMATS)}")
    module = importlib.import_module(f"credgraph.formats.{format_name}")
    parse: Parser = module.parse
    return parse


__all__ = [
    "FORMATS",
    "SOURCE_FORMATS",
    "TAXONOMY_FORMATS",
    "Document",
    "ParseError",
    "ParseResult",
    "Parser",
    "parser_for",
]
