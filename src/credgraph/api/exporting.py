"""`exportSubgraph`: run an export into memory up to a size cap; past it, stop and give the
`/export` URL that streams the same selection instead (a GraphQL response is not the place
for a large file)."""

from __future__ import annotations

import hashlib
import json

from credgraph.api.http.export import query_string
from credgraph.api.types.export_result import ExportFile, ExportResult
from credgraph.export import Export, Selection
from credgraph.store.base import GraphStore

INLINE_LIMIT_BYTES = 1_000_000


async def export_inline(
    store: GraphStore, selection: Selection, format_name: str, *,
    limit: int = INLINE_LIMIT_BYTES, path: str = "/export",
) -> ExportResult:
    export = Export(store, selection, format_name)
    url = f"{path}?{query_string(export.format_name, selection)}"
    files: dict[str, bytearray] = {}
    size = 0
    parts = export.parts()
    try:
        async for name, chunk in parts:
            size += len(chunk)
            if size > limit:
                return ExportResult(format=export.format_name, inline=False, files=[],
                                    manifest=None, download_url=url, node_count=None,
                                    edge_count=None)
            files.setdefault(name, bytearray()).extend(chunk)
    finally:
        close = getattr(parts, "aclose", None)
        if close is not None:  # stopped early: let the store release its cursor/session
            await close()
    manifest = export.manifest()
    return ExportResult(
        format=export.format_name,
        inline=True,
        files=[
            ExportFile(name=name, content=body.decode("utf-8", "replace"),
                       sha256=hashlib.sha256(body).hexdigest())
            for name, body in files.items()
        ],
        manifest=json.dumps(manifest, ensure_ascii=False),
        download_url=url,
        node_count=manifest["counts"]["total_nodes"],
        edge_count=manifest["counts"]["total_edges"],
    )
