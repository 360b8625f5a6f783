"""`GET /export`: a subgraph streamed as a download, with the same selection language as the
CLI and GraphQL:

    /export?format=graphml&seed=onet:15-2051.00&depth=2&type=BADGE&excludeStale=true

Parameters: `format` (graphml, csv, jsonld, ndjson, nodelink), `seed` (repeatable), `depth`,
`type`, `issuer`, `skill` (repeatable), `occupationPrefix`, `changedSince`, `excludeStale`,
`bundle` (default true: a zip of the data files and manifest.json; `false` streams the one
data file of a single-file format, without its manifest).

Exports are the most expensive thing the API does: besides the API's rate limits, a process
runs at most `max_concurrent` at once and answers 429 with `Retry-After` past that. A failure
mid-stream cuts the response short (the zip then lacks its directory and reads as broken,
never as complete); the reason goes to the log with the request id.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from credgraph.api.http.request_info import current_request_id
from credgraph.api.http.responses import json_response
from credgraph.errors import InvalidQuery
from credgraph.export import Export, Selection, parse_since, parse_types
from credgraph.store import GraphStore

log = logging.getLogger("credgraph.api")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
PARAMETERS = frozenset({"format", "seed", "depth", "type", "issuer", "skill",
                        "occupationPrefix", "changedSince", "excludeStale", "bundle"})


def _flag(value: str | None, name: str, default: bool) -> bool:
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise InvalidQuery(f"`{name}` must be true or false, got {value!r}")


def selection_from_query(params: Any) -> tuple[str, Selection, bool]:
    """(format, selection, bundle) from query parameters; InvalidQuery names what is wrong."""
    unknown = sorted(set(params.keys()) - PARAMETERS)
    if unknown:
        raise InvalidQuery(f"unknown parameter(s) {unknown}; known: {sorted(PARAMETERS)}")
    format_name = params.get("format")
    if not format_name:
        raise InvalidQuery("`format` is required (graphml, csv, jsonld, ndjson, nodelink)")
    depth_text = params.get("depth", "1")
    try:
        depth = int(depth_text)
    except ValueError:
        raise InvalidQuery(f"`depth` must be a whole number, got {depth_text!r}") from None
    since = params.get("changedSince")
    selection = Selection(
        seeds=tuple(params.getlist("seed")),
        depth=depth,
        types=parse_types(params.getlist("type")),
        issuers=tuple(params.getlist("issuer")),
        skills=tuple(params.getlist("skill")),
        occupation_prefix=params.get("occupationPrefix") or None,
        changed_since=parse_since(since) if since else None,
        exclude_stale=_flag(params.get("excludeStale"), "excludeStale", False),
    )
    return format_name, selection, _flag(params.get("bundle"), "bundle", True)


def query_string(format_name: str, selection: Selection) -> str:
    """The `/export` query that reproduces a selection (GraphQL gives it as a download URL)."""
    pairs: list[tuple[str, str]] = [("format", format_name)]
    pairs += [("seed", s) for s in selection.seeds]
    if selection.seeds:
        pairs.append(("depth", str(selection.depth)))
    pairs += [("type", t.value) for t in selection.types]
    pairs += [("issuer", i) for i in selection.issuers]
    pairs += [("skill", s) for s in selection.skills]
    if selection.occupation_prefix:
        pairs.append(("occupationPrefix", selection.occupation_prefix))
    if selection.changed_since:
        pairs.append(("changedSince", selection.changed_since.isoformat()))
    if selection.exclude_stale:
        pairs.append(("excludeStale", "true"))
    return urlencode(pairs)


class ExportEndpoint:
    def __init__(self, store: GraphStore, *, max_concurrent: int = 2) -> None:
        self.store = store
        self.slots = asyncio.Semaphore(max_concurrent)

    async def endpoint(self, request: Request) -> Response:
        try:
            format_name, selection, bundle = selection_from_query(request.query_params)
            export = Export(self.store, selection, format_name)
        except InvalidQuery as exc:
            return json_response({"error": str(exc)}, 400)
        if bundle is False and len(export.files) > 1:
            return json_response(
                {"error": f"{export.format_name} is several files: it comes bundled only"}, 400
            )
        if self.slots.locked():
            response = json_response({"error": "too many exports running; retry shortly"}, 429)
            response.headers["Retry-After"] = "5"
            return response
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        if bundle:
            body, media_type = export.zip_stream(), "application/zip"
            filename = f"credgraph-{export.format_name}-{stamp}.zip"
        else:
            body, media_type = self._data(export), export.format.media_type
            filename = f"credgraph-{stamp}-{export.files[0]}"
        return StreamingResponse(
            self._guarded(body),
            media_type=media_type,
            headers={"Content-Disposition": f'attachment; filename="{filename}"',
                     "Cache-Control": "no-store"},
        )

    @staticmethod
    async def _data(export: Export) -> AsyncIterator[bytes]:
        async for _name, chunk in export.parts():
            yield chunk

    async def _guarded(self, body: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        request_id = current_request_id()
        async with self.slots:
            try:
                async for chunk in body:
                    yield chunk
            except Exception:
                log.exception("export failed mid-stream (request id %s)", request_id)
                raise
