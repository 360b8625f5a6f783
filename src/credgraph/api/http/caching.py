"""HTTP caching of GET /graphql answers: `Cache-Control`, a strong `ETag`, 304 on a match;
and of the pages' files (`file_response`): their `ETag`, 304 on a match."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse

from credgraph.api.http.responses import JSON


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison over a list of tags, or `*`."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


def cached_response(
    body: bytes, if_none_match: str | None, *, max_age: int, private: bool
) -> Response:
    """A 200 with caching headers, or a bodiless 304 when the client already has `body`."""
    etag = etag_of(body)
    headers = {
        "ETag": etag,
        "Cache-Control": f"{'private' if private else 'public'}, max-age={max_age}",
    }
    if matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, headers=headers, media_type=JSON)


def file_response(
    request: Request, path: Path, *, media_type: str, headers: Mapping[str, str]
) -> Response:
    """The file at `path`, or a bodiless 304 (its ETag and Cache-Control kept) when the
    client's If-None-Match holds its ETag, as StaticFiles answers for `/static`.

    FileResponse sends an ETag but always answers the whole file; given the file's stat it
    sets the ETag up front, where it can be compared. (A stat of a package file is a few
    microseconds: not worth a thread.)"""
    response = FileResponse(
        path, media_type=media_type, headers=dict(headers), stat_result=os.stat(path)
    )
    if matches(request.headers.get("if-none-match"), response.headers["etag"]):
        return NotModifiedResponse(response.headers)
    return response
