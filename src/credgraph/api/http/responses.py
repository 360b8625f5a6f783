"""JSON bodies and GraphQL-style error responses, shared by the endpoint and the middleware."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

JSON = "application/json"


def dump(body: Any) -> bytes:
    """Compact UTF-8 JSON. orjson writes the same bytes as `json.dumps` here, many times
    faster (bench/api_bench.py measures whole answers); what it refuses (an integer past 64
    bits, a non-string key) goes through `json`."""
    try:
        return orjson.dumps(body)
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def error_body(message: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code, **extra}}]}


class HttpProblem(Exception):
    """A request refused before (or instead of) execution, with its status and error code."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str = "BAD_REQUEST",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.code)

    def response(self) -> Response:
        return json_response(self.body(), self.status, self.headers)


def json_response(
    body: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    merged = {"Cache-Control": "no-store", **(headers or {})}
    return Response(dump(body), status_code=status, headers=merged, media_type=JSON)
