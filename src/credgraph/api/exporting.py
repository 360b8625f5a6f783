"""`exportSubgraph`: run an export into memory up to a size cap and a time limit; past either,
stop and give the `/export` URL that streams the same selection instead (a GraphQL response
is not the place for a large file, nor a request the place for a long export).

The inline exports of one request take one of the slots `/export` takes, and run in it one
after another (past the cap, when other requests hold every slot: a GraphQL error with code
RATE_LIMITED naming it); they share one deadline (`INLINE_SECONDS`, from the first), so a
batch of operations full of exports is answered in about that time, whatever it asks for:
an export still waiting its turn when the deadline passes answers with its URL only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import AsyncIterator

from graphql import GraphQLError

from credgraph.api.http.export import (
    INLINE_SECONDS,
    RequestExports,
    current_exports,
    query_string,
)
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
    try:
        async with _slot(exports, deadline):
            files = await _collect(export, limit)
    except ExportTimedOut:  # while this export ran, or while an earlier one of the request did
        return _by_url(export.format_name, url)
    except TooManyExports as exc:
        raise GraphQLError(
            str(exc),
            extensions={"code": RATE_LIMITED, "limit": exc.limit, "retryAfter": exc.retry_after},
        ) from exc
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


@contextlib.asynccontextmanager
async def _slot(exports: RequestExports | None, deadline: Deadline) -> AsyncIterator[None]:
    """The request's slot, in turn with its other exports; outside a request (no
    ExportScope), a slot of the process's own."""
    if exports is not None:
        async with exports.turn(deadline):
            yield
        return
    with process_slots().take():
        yield


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
