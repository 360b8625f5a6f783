"""ExportResult and ExportFile: a subgraph export, inline when small."""

from __future__ import annotations

import strawberry


@strawberry.type(description="One file of an export, with its content.")
class ExportFile:
    name: str = strawberry.field(description="File name, e.g. graph.graphml or nodes.csv.")
    content: str = strawberry.field(description="The file's text (UTF-8).")
    sha256: str = strawberry.field(description="SHA-256 of the content's UTF-8 bytes.")


@strawberry.type(description="A subgraph export: the files inline when small, else a URL.")
class ExportResult:
    format: str = strawberry.field(description="The format's name.")
    inline: bool = strawberry.field(
        description="True when `files` hold the whole export; false when it was over the "
        "inline limit and must be downloaded from `downloadUrl`."
    )
    files: list[ExportFile] = strawberry.field(description="The data files (when inline).")
    manifest: str | None = strawberry.field(
        description="The manifest as JSON: selection, sources, counts, sha256 per file "
        "(when inline)."
    )
    download_url: str = strawberry.field(
        description="`/export` URL streaming the same selection as a zip with its manifest."
    )
    node_count: int | None = strawberry.field(description="Nodes exported (when inline).")
    edge_count: int | None = strawberry.field(description="Edges exported (when inline).")
