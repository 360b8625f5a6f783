"""Reading GraphQL operations out of HTTP requests, refusing bad ones with a clear 4xx.

POST takes `application/json`: one operation object, or an array of at most `max_batch`
operations (batching; `max_batch = 1` refuses arrays). GET takes `query`, `variables`,
`operationName`, `extensions` and `documentId` as URL parameters.

Text must be Unicode: a JSON escape of a lone UTF-16 surrogate ("\\ud800") is refused (400)
with the place it was found (`query`, a variable by name...), before any GraphQL work, since
neither a store nor the response could encode it as UTF-8.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.requests import Request

from credgraph.api.http.persisted import Operation
from credgraph.api.http.responses import HttpProblem
from credgraph.api.settings import ApiSettings
from credgraph.model.validation import holds_lone_surrogate


async def read_post(request: Request, settings: ApiSettings) -> tuple[list[Operation], bool]:
    """The operations of a POST and whether they came as a batch (a JSON array)."""
    require_json(request)
    body = await _read_body(request, settings.max_body_bytes)
    try:
        payload, lenient = _parse(body)
    except ValueError as exc:
        raise HttpProblem(400, f"The request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise HttpProblem(400, "The request body is not valid JSON: nested too deeply.") from None
    if isinstance(payload, list):
        if settings.max_batch <= 1:
            raise HttpProblem(400, "Batching is turned off: send one operation per request.")
        if not payload or len(payload) > settings.max_batch:
            raise HttpProblem(
                400, f"A batch holds 1 to {settings.max_batch} operations, not {len(payload)}."
            )
        ops = [_operation(item, settings, len(body), lenient) for item in payload]
        return ops, True
    return [_operation(payload, settings, len(body), lenient)], False


def require_json(request: Request) -> None:
    """Refuse (415, naming the type sent) a body that is not `application/json`.

    Besides telling a client what to send, this keeps other websites out: a page can make a
    visitor's browser POST a form or a `no-cors` fetch only as text/plain, form-urlencoded or
    multipart, while `application/json` from another origin needs a CORS preflight that an
    origin not on the allow-list fails."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise HttpProblem(
            415,
            f"Send the body as `Content-Type: application/json`, not {media_type or 'nothing'}.",
            "UNSUPPORTED_MEDIA_TYPE",
        )


def _parse(body: bytes) -> tuple[Any, bool]:
    """The body, and whether only the standard library could read it. orjson reads a request
    in a tenth of the time; what it refuses and the standard library accepts (NaN, integers
    past 64 bits, very deep nesting, lone surrogates) is read as before, and errors keep the
    standard library's wording."""
    try:
        return orjson.loads(body), False
    except orjson.JSONDecodeError:
        return json.loads(body), True


def read_get(params: Mapping[str, str], settings: ApiSettings) -> Operation:
    variables = params.get("variables")
    if variables is not None and len(variables.encode()) > settings.max_variables_bytes:
        raise _variables_too_large(settings)
    return _operation(
        {
            "query": params.get("query"),
            "variables": _json_param("variables", variables),
            "operationName": params.get("operationName") or None,
            "extensions": _json_param("extensions", params.get("extensions")),
            "documentId": params.get("documentId") or params.get("id"),
        },
        settings,
        0,
        lenient=True,
    )


async def _read_body(request: Request, cap: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HttpProblem(400, "Content-Length is not a number.")
        if int(declared) > cap:
            raise _too_large(cap)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise _too_large(cap)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(cap: int) -> HttpProblem:
    return HttpProblem(413, f"The request body is larger than {cap} bytes.", "PAYLOAD_TOO_LARGE")


def _json_bytes(value: object) -> int:
    """The size of `value` as compact UTF-8 JSON: as a client sends it, not with every
    non-ASCII character escaped to six (which made 20,000 CJK characters 120 kB)."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def _variables_too_large(settings: ApiSettings) -> HttpProblem:
    return HttpProblem(
        413,
        f"The variables are larger than {settings.max_variables_bytes} bytes.",
        "PAYLOAD_TOO_LARGE",
    )


def _json_param(name: str, raw: str | None) -> Any:
    if raw is None or raw == "":
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise HttpProblem(400, f"The `{name}` parameter is not valid JSON.") from None


def _operation(payload: Any, settings: ApiSettings, body_size: int, lenient: bool) -> Operation:
    """The operation `payload` describes; `lenient`: read by a parser that lets lone
    surrogates through (orjson refuses them, so its output needs no search)."""
    if not isinstance(payload, dict):
        raise HttpProblem(400, "A GraphQL request is a JSON object with a `query`.")
    if lenient:
        _refuse_surrogates(payload)
    query = _typed(payload, "query", str)
    variables = _typed(payload, "variables", dict)
    # Measured only when the whole body could be over the cap.
    if (
        variables
        and body_size > settings.max_variables_bytes
        and _json_bytes(variables) > settings.max_variables_bytes
    ):
        raise _variables_too_large(settings)
    extensions = _typed(payload, "extensions", dict) or {}
    persisted = extensions.get("persistedQuery")
    apq_hash = None
    if persisted is not None:
        if not isinstance(persisted, dict) or not isinstance(persisted.get("sha256Hash"), str):
            raise HttpProblem(400, "extensions.persistedQuery needs a string `sha256Hash`.")
        if persisted.get("version", 1) != 1:
            raise HttpProblem(400, "Only version 1 of persisted queries is supported.")
        apq_hash = persisted["sha256Hash"]
    document_id = _typed(payload, "documentId", str) or _typed(payload, "id", str)
    return Operation(
        query=query,
        variables=variables,
        operation_name=_typed(payload, "operationName", str),
        document_id=document_id,
        apq_hash=apq_hash,
    )


def _refuse_surrogates(payload: Mapping[str, Any]) -> None:
    """A 400 naming the first part of the operation holding a lone surrogate."""
    variables = payload.get("variables")
    if isinstance(variables, dict):
        for name, value in variables.items():
            if holds_lone_surrogate(name) or holds_lone_surrogate(value):
                raise _not_text(f"The variable `{_printable(name)}`")
    for key in ("query", "operationName", "documentId", "id", "extensions"):
        if holds_lone_surrogate(payload.get(key)):
            raise _not_text(f"`{key}`")


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode()


def _not_text(where: str) -> HttpProblem:
    return HttpProblem(
        400,
        f'{where} holds a lone UTF-16 surrogate (such as "\\ud800"), which is not Unicode '
        "text: send each surrogate in a pair, or the character itself.",
    )


def _typed(payload: Mapping[str, Any], key: str, kind: type) -> Any:
    value = payload.get(key)
    if value is None or isinstance(value, kind):
        return value
    names: dict[type, str] = {str: "a string", dict: "a JSON object"}
    raise HttpProblem(400, f"`{key}` must be {names.get(kind, kind.__name__)} or null.")
