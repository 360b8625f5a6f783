"""`GET /export`: a subgraph streamed as a download, with the same selection language as the
CLI and GraphQL:

    /export?format=graphml&seed=onet:15-2051.00&depth=2&type=BADGE&excludeStale=true

Parameters: `format` (graphml, csv, jsonld, ndjson, nodelink), `seed` (repeatable), `depth`,
`type`, `issuer`, `skill` (repeatable), `occupationPrefix`, `changedSince`, `excludeStale`,
`bundle` (default true: a zip of the data files and manifest.json; `false` streams the one
data file of a single-file format, without its manifest).

Exports are the most expensive thing the API does. Besides the API's rate limits:

* a process runs at most `ExportSlots.limit` at once, `/export` and GraphQL's
  `exportSubgraph` together; a slot is taken when the request is admitted, before the 200,
  and given back when the stream ends or the client goes away; past the cap, 429 with
  `Retry-After`;
* the rendering and compressing run in worker threads, so the event loop keeps answering;
* a stream has a deadline (`EXPORT_SECONDS` from admission, slow readers included), past
  which it is cut; passed before the response began, it is a 503 naming the deadline.

A failure or the deadline mid-stream cuts the response short (the zip then lacks its
directory and reads as broken, never as complete); the reason goes to the log with the
request id. `ExportScope` makes the app's slots reachable from GraphQL resolvers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from credgraph.api.http.request_info import current_request_id
from credgraph.api.http.responses import json_response
from credgraph.errors import InvalidQuery
from credgraph.export import Export, Selection, parse_since, parse_types
from credgraph.export.deadline import Deadline, ExportTimedOut
from credgraph.export.slots import (
    RETRY_AFTER_S,
    ExportSlots,
    Slot,
    TooManyExports,
    process_slots,
)
from credgraph.store import GraphStore

log = logging.getLogger("credgraph.api")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
EXPORT_SECONDS = 60.0  # one /export stream, from admission to its last byte
# Every inline `exportSubgraph` of one request together: well within the 5 s a request is
# answered in, leaving room for the steps under way when it passes and for the rest of the
# request; past it an inline export stops and answers with its download URL.
INLINE_SECONDS = 3.0
_current: ContextVar[RequestExports | None] = ContextVar("credgraph_exports", default=None)
PARAMETERS = frozenset(
    {
        "format",
        "seed",
        "depth",
        "type",
        "issuer",
        "skill",
        "occupationPrefix",
        "changedSince",
        "excludeStale",
        "bundle",
    }
)


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
    def __init__(
        self,
        store: GraphStore,
        *,
        slots: ExportSlots | None = None,
        seconds: float = EXPORT_SECONDS,
    ) -> None:
        self.store = store
        self.slots = slots if slots is not None else process_slots()
        self.seconds = seconds

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
        try:
            slot = self.slots.take()
        except TooManyExports as exc:
            return json_response({"error": str(exc)}, 429, {"Retry-After": str(exc.retry_after)})
        try:
            return self._response(export, bundle, slot)
        except BaseException:
            slot.release()  # no response will run to give it back
            raise

    def _response(self, export: Export, bundle: bool, slot: Slot) -> ExportResponse:
        export.deadline = Deadline(self.seconds)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        if bundle:
            body, media_type = export.zip_stream(), "application/zip"
            filename = f"credgraph-{export.format_name}-{stamp}.zip"
        else:
            body, media_type = _data(export), export.format.media_type
            filename = f"credgraph-{stamp}-{export.files[0]}"
        return ExportResponse(
            body,
            slot=slot,
            deadline=export.deadline,
            media_type=media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "no-store",
            },
        )


async def _data(export: Export) -> AsyncIterator[bytes]:
    async with contextlib.aclosing(export.parts()) as parts:
        async for _name, chunk in parts:
            yield chunk


class ExportResponse(StreamingResponse):
    """A streamed export holding its slot: given back when the last byte is sent, the client
    goes away, a failure stops the stream or the deadline cuts it, whichever comes first."""

    def __init__(
        self,
        body: AsyncIterator[bytes],
        *,
        slot: Slot,
        deadline: Deadline,
        media_type: str,
        headers: dict[str, str],
    ) -> None:
        super().__init__(body, media_type=media_type, headers=headers)
        self.stream = body
        self.slot = slot
        self.deadline = deadline

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def send_in_time(message: Message) -> None:
            nonlocal started
            # A client that stops reading holds the stream at a send: bounded like the rest.
            async with self.deadline.bound():
                await send(message)
            started = True

        request_id = current_request_id()
        try:
            await super().__call__(scope, receive, send_in_time)
        except ClientDisconnect:
            pass  # the client went away: nothing failed, and nobody is left to tell
        except ExportTimedOut as exc:
            log.warning("export cut (request id %s): %s", request_id, exc)
            if not started:  # the deadline passed before the 200: there is still time to say so
                await timed_out(exc)(scope, receive, send)
            # Else returning without the last body message makes the server close the
            # connection: the client sees a cut stream, never a complete-looking file.
        except Exception:
            log.exception("export failed mid-stream (request id %s)", request_id)
            raise
        finally:
            self.slot.release()
            close = getattr(self.stream, "aclose", None)
            if close is not None:  # stopped early: the store's cursor or session goes back now
                await close()


def timed_out(exc: ExportTimedOut) -> Response:
    """503 naming the deadline, for an export whose deadline passed before its response
    began (a server returning without a response answers a bare 500)."""
    return json_response(
        {"error": f"{exc} before its response began (CREDGRAPH_EXPORT_SECONDS)"},
        503,
        {"Retry-After": str(RETRY_AFTER_S)},
    )


@dataclass(slots=True)
class RequestExports:
    """What one request's exports may use: one of the app's slots, and one deadline that all
    the inline exports of the request share (set when the first begins), so a batch of
    operations with many `exportSubgraph` fields cannot add their times up.

    The request's exports run one at a time in one slot, taken by the first and held until
    the request ends: fields resolved together no longer compete for the slots among
    themselves (a third field was refused past a cap of two, and being non-null took the
    two finished exports down with it), and one request never holds more than one slot.
    Since they share one deadline, running them in turn costs the request no time it had."""

    slots: ExportSlots
    inline_seconds: float
    inline: Deadline | None = field(default=None)
    slot: Slot | None = field(default=None)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def inline_deadline(self) -> Deadline:
        if self.inline is None:
            self.inline = Deadline(self.inline_seconds)
        return self.inline

    @contextlib.asynccontextmanager
    async def turn(self, deadline: Deadline) -> AsyncIterator[None]:
        """The request's slot, for one export at a time: ExportTimedOut when the deadline
        passes while an earlier export of the request runs, TooManyExports when the first
        finds every slot held by other requests."""
        async with deadline.bound():
            await self.lock.acquire()
        try:
            if self.slot is None:
                self.slot = self.slots.take()
            yield
        finally:
            self.lock.release()

    def release(self) -> None:
        if self.slot is not None:
            self.slot.release()


def current_exports() -> RequestExports | None:
    """The current request's exports while an ExportScope runs it (for GraphQL resolvers)."""
    return _current.get()


class ExportScope:
    """Makes the app's export slots, and the request's shared inline-export deadline,
    reachable from any layer of a request."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        slots: ExportSlots | None = None,
        inline_seconds: float = INLINE_SECONDS,
    ) -> None:
        self.app = app
        self.slots = slots if slots is not None else process_slots()
        self.inline_seconds = inline_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        exports = RequestExports(self.slots, self.inline_seconds)
        token = _current.set(exports)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
            exports.release()
