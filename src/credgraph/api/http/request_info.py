"""What the server knows about the request being handled, reachable from any layer below it.

The outermost middleware creates one `RequestInfo` per HTTP request and sets it in a context
variable; the GraphQL endpoint and the Strawberry extensions add to it (operation names), and
the middleware reads it back for the access log and metrics.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from strawberry.extensions import SchemaExtension

_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_current: ContextVar[RequestInfo | None] = ContextVar("credgraph_request", default=None)


@dataclass(slots=True)
class RequestInfo:
    request_id: str
    client: str
    client_label: str = ""  # "key:<fingerprint>" or "ip:<address>" once the gate has run
    operations: list[str] = field(default_factory=list)


def request_id_from(header: str | None) -> str:
    """The caller's X-Request-Id when it is a sane token, else a fresh one."""
    if header and _ACCEPTED_ID.fullmatch(header):
        return header
    return os.urandom(16).hex()  # 128 random bits, as uuid4's hex, without building a UUID


def current_request() -> RequestInfo | None:
    return _current.get()


def current_request_id() -> str:
    info = _current.get()
    return info.request_id if info else "-"


def enter(info: RequestInfo) -> object:
    return _current.set(info)


def leave(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


class RecordOperation(SchemaExtension):
    """Notes each executed operation's name (or "anonymous") on the current request."""

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        finally:
            info = _current.get()
            if info is not None:
                try:
                    name = self.execution_context.operation_name
                except Exception:  # a document that did not parse has no operation
                    name = None
                info.operations.append(name or "anonymous")
