"""`exportSubgraph`: run an export into memory up to a size cap and a time limit; past either,
stop and give the `/export` URL that streams the same selection instead (a GraphQL response
is not the place for a large file, nor a request the place for a long export).

An inline export takes one of the slots `/export` takes (past the cap: a GraphQL error with
code RATE_LIMITED naming it), and all the inline exports of one request share one deadline
(`INLINE_SECONDS`, from the first), so a batch of operations full of exports is answered in
about that time, whatever it asks for.
"""

from __future__ import annotations

import hashlib
import json

from graphql import GraphQLError

from credgraph.api.http.export import INLINE_SECONDS, current_exports, query_string
from credgraph.api.types.export_result import ExportFile, ExportResult
from credgraph.export import Export, Selection
from credgraph.export.deadline import Deadline, ExportTimedOut
from credgraph.export.slots import TooManyExports, process_slots
from credgraph.store.base import GraphStore

INLINE_LIMIT_BYTES = 1_000_000
RATE_LIMITED = "RATE_LIMITED"


async def export_inline(
    store: GraphStore,
    selection: Selection,
    format_name: str,
    *,
    limit: int = INLINE_LIMIT_BYTES,
    path: str = "/export",
) -> ExportResult:
    """The export inline, or only its download URL when over `limit` bytes or past the
    request's inline deadline; GraphQLError RATE_LIMITED when every export slot is held."""
    exports = current_exports()
    deadline = exports.inline_deadline() if exports else Deadline(INLINE_SECONDS)
    export = Export(store, selection, format_name, deadline=deadline)
    url = f"{path}?{query_string(export.format_name, selection)}"
    if deadline.passed:  # the request's earlier exports have used the time up
        return _by_url(export.format_name, url)
    slots = exports.slots if exports else process_slots()
    try:
        slot = slots.take()
    except TooManyExports as exc:
        raise GraphQLError(
            str(exc),
            extensions={"code": RATE_LIMITED, "limit": exc.limit, "retryAfter": exc.retry_after},
        ) from exc
    with slot:
        try:
            files = await _collect(export, limit)
        except ExportTimedOut:
            return _by_url(export.format_name, url)
    if files is None:
        return _by_url(export.format_name, url)
    manifest = export.manifest()
    return ExportResult(
        format=export.format_name,
        inline=True,
        files=[
            ExportFile(
                name=name,
                content=body.decode("utf-8", "replace"),
                sha256=hashlib.sha256(body).hexdigest(),
            )
            for name, body in files.items()
        ],
        manifest=json.dumps(manifest, ensure_ascii=False),
        download_url=url,
        node_count=manifest["counts"]["total_nodes"],
        edge_count=manifest["counts"]["total_edges"],
    )


async def _collect(export: Export, limit: int) -> dict[str, bytearray] | None:
    """The export's files, or None once they pass `limit` bytes (stopping there)."""
    files: dict[str, bytearray] = {}
    size = 0
    parts = export.parts()
    try:
        async for name, chunk in parts:
            size += len(chunk)
            if size > limit:
                return None
            files.setdefault(name, bytearray()).extend(chunk)
    finally:
        await parts.aclose()  # stopped early: let the store release its cursor/session
    return files


def _by_url(format_name: str, url: str) -> ExportResult:
    return ExportResult(
        format=format_name,
        inline=False,
        files=[],
        manifest=None,
        download_url=url,
        node_count=None,
        edge_count=None,
    )
